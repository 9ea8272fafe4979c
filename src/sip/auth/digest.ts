/**
 * The Digest computation of RFC 3261 §22.4, as updated by RFC 8760 (SIP) and defined by RFC 7616
 * §3.4 (HTTP), with the RFC 2617 §3.2.2.1 compatibility mode (no `qop`, RFC 2069 style).
 *
 * Pure functions over strings: every input is UTF-8 encoded before hashing (UTF-8 is the only
 * charset RFC 7616 §3.4 and §4 define; SIP text is UTF-8 anyway, RFC 3261 §7.3.1). Hashes come from `@noble/hashes`, the only
 * crypto dependency the core allows; no WebCrypto or Node API is used, so this runs unchanged in
 * the browser and in Node.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { sha256, sha512_256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** The algorithms of the IANA "HTTP Digest Hash Algorithms" registry that SIP uses (RFC 8760 §2.1). */
export type DigestAlgorithm =
  'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

export type DigestQop = 'auth' | 'auth-int';

/** Programmer misuse of the digest functions (missing cnonce, bad nc …); never raised for wire input. */
export class DigestInputError extends Error {
  override readonly name = 'DigestInputError';
}

const ALGORITHMS: readonly DigestAlgorithm[] = [
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
  'SHA-512-256',
  'SHA-512-256-sess',
];

/**
 * Maps an `algorithm` token from a challenge to the algorithm it names, or `undefined` when we do
 * not implement it. RFC 7616 §3.3: the token is case-insensitive ("MD5-Sess" is MD5-sess).
 */
export function parseDigestAlgorithm(token: string): DigestAlgorithm | undefined {
  const lower = token.toLowerCase();
  return ALGORITHMS.find((a) => a.toLowerCase() === lower);
}

/** True for the `-sess` variants, whose A1 binds the nonce and cnonce (RFC 7616 §3.4.2). */
export function isSessionAlgorithm(algorithm: DigestAlgorithm): boolean {
  return algorithm.endsWith('-sess');
}

/** H(data): lower-case hex of the algorithm's hash of the UTF-8 octets of `data` (RFC 7616 §3.4.1). */
export function digestHash(algorithm: DigestAlgorithm, data: string): string {
  const bytes = utf8ToBytes(data);
  switch (algorithm) {
    case 'MD5':
    case 'MD5-sess':
      return bytesToHex(md5(bytes));
    case 'SHA-256':
    case 'SHA-256-sess':
      return bytesToHex(sha256(bytes));
    case 'SHA-512-256':
    case 'SHA-512-256-sess':
      return bytesToHex(sha512_256(bytes));
  }
}

/** KD(secret, data) = H(concat(secret, ":", data)), RFC 7616 §3.4.1. */
function kd(algorithm: DigestAlgorithm, secret: string, data: string): string {
  return digestHash(algorithm, `${secret}:${data}`);
}

/** `nc` as sent on the wire: exactly 8 lower-case hex digits (RFC 7616 §3.4). */
export function formatNonceCount(count: number): string {
  if (!Number.isInteger(count) || count < 1 || count > 0xffffffff) {
    throw new DigestInputError(`nonce count must be an integer in 1..0xffffffff, got ${count}`);
  }
  return count.toString(16).padStart(8, '0');
}

export interface DigestResponseInput {
  readonly algorithm: DigestAlgorithm;
  /** The real user name. With `userhash`, A1 still uses this name; only the header carries the hash. */
  readonly username: string;
  readonly realm: string;
  readonly password: string;
  readonly method: string;
  /** The `uri` parameter: the Request-URI as it appears in the request (RFC 3261 §22.4). */
  readonly uri: string;
  readonly nonce: string;
  /** Required with `qop` and with the `-sess` algorithms. */
  readonly cnonce?: string;
  /** 8 hex digits (`00000001`); required with `qop`. */
  readonly nc?: string;
  /** Absent for the RFC 2069 compatible computation. */
  readonly qop?: DigestQop;
  /** The message body, hashed for `auth-int`; an absent body hashes as the empty string. */
  readonly body?: string;
}

/**
 * The `response` parameter (request-digest) of RFC 7616 §3.4.1 / RFC 2617 §3.2.2.1 as lower-case
 * hex.
 *
 * @throws {DigestInputError} when `qop` is given without `cnonce`/`nc`, when `nc` is not 8 hex
 *   digits, or when a `-sess` algorithm is used without `cnonce`.
 */
export function computeDigestResponse(input: DigestResponseInput): string {
  const { algorithm, username, realm, password, method, uri, nonce, cnonce, nc, qop } = input;
  if (qop !== undefined) {
    if (cnonce === undefined || cnonce === '') throw new DigestInputError(`qop=${qop} needs a cnonce`);
    if (nc === undefined || !/^[0-9a-f]{8}$/i.test(nc)) {
      throw new DigestInputError('qop needs nc as exactly 8 hex digits');
    }
  }

  let ha1 = digestHash(algorithm, `${username}:${realm}:${password}`);
  if (isSessionAlgorithm(algorithm)) {
    // RFC 7616 §3.4.2: for the -sess variants
    // "A1 = H( unq(username) ":" unq(realm) ":" passwd ) ":" unq(nonce-prime) ":" unq(cnonce-prime)"
    if (cnonce === undefined || cnonce === '') throw new DigestInputError(`${algorithm} needs a cnonce`);
    ha1 = digestHash(algorithm, `${ha1}:${nonce}:${cnonce}`);
  }

  // RFC 7616 §3.4.3: "If the qop parameter's value is "auth-int", then A2 is:
  //   A2 = Method ":" request-uri ":" H(entity-body)"
  // RFC 3261 §22.4 hashes an empty body as the empty string rather than leaving the term out.
  const a2 =
    qop === 'auth-int' ? `${method}:${uri}:${digestHash(algorithm, input.body ?? '')}` : `${method}:${uri}`;
  const ha2 = digestHash(algorithm, a2);

  if (qop === undefined) {
    // RFC 2617 §3.2.2.1: without a qop directive the digest is KD(H(A1), nonce ":" H(A2)),
    // the RFC 2069 computation kept for compatibility.
    return kd(algorithm, ha1, `${nonce}:${ha2}`);
  }
  return kd(algorithm, ha1, `${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
}

/**
 * The hashed user name sent instead of the real one when the challenge asked for `userhash=true`
 * (RFC 7616 §3.4.4): `H(unq(username) ":" unq(realm))`.
 */
export function computeUserhash(algorithm: DigestAlgorithm, username: string, realm: string): string {
  return digestHash(algorithm, `${username}:${realm}`);
}
