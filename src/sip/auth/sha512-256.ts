/**
 * SHA-512/256 (FIPS 180-4 §5.3.6.2) of the UTF-8 octets of a string, as lower-case hex: H() of the
 * SHA-512-256 and SHA-512-256-sess Digest algorithms (RFC 8760 §2.1).
 *
 * Opt-in, in its own module: its 64-bit arithmetic comes from `@noble/hashes` and costs more than
 * MD5 and SHA-256 together, so only an application that imports it ships it. Enable it with
 * `new UserAgent({ …, digestAlgorithms: { 'SHA-512-256': sha512_256 } })`.
 */
import { sha512_256 as nobleSha512_256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { DigestHash } from './digest';

export const sha512_256: DigestHash = (input) => bytesToHex(nobleSha512_256(utf8ToBytes(input)));
