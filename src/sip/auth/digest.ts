/**
 * The Digest computation of RFC 3261 §22.4, as updated by RFC 8760 (SIP) and defined by RFC 7616
 * §3.4 (HTTP), with the RFC 2617 §3.2.2.1 compatibility mode (no `qop`, RFC 2069 style).
 *
 * Pure functions over strings. Hashes are pluggable: MD5 and SHA-256 are built in (md5.ts,
 * sha256.ts); SHA-512-256 is opt-in (sha512-256.ts) because it costs more than both together. The
 * rarely used variants (`-sess` algorithms, `qop=auth-int`, `userhash`) are opt-in too
 * (digest-variants.ts): the core answers `qop=auth` and no-qop challenges only.
 *
 * {@link computeDigestResponse} (every variant, with input checks) serves the variants module and
 * the development servers; the core's own path needs only {@link requestDigest}.
 */
import type { AuthValue } from '../message/types';
import { md5 } from './md5';
import { sha256 } from './sha256';

/** H(data): lower-case hex of the hash of the UTF-8 octets of `input` (RFC 7616 §3.4.1). */
export type DigestHash = (input: string) => string;

/**
 * The slot of {@link DigestAlgorithms} that holds the opt-in variants: a symbol, so that it can
 * never clash with an algorithm name, and `Object.keys` (the ranking) never sees it.
 */
export const VARIANTS: unique symbol = Symbol();

/**
 * Hashes by their name in the "HTTP Digest Hash Algorithms" registry (RFC 7616 §6.1), as
 * registered (upper case), without `-sess`. Key order is preference order, weakest first. The
 * opt-in variants ride along under {@link VARIANTS} (see `digestVariants()`).
 */
export interface DigestAlgorithms {
  readonly [name: string]: DigestHash;
  readonly [VARIANTS]?: DigestVariants;
}

/** Always available, weakest first: MD5 (RFC 3261) and SHA-256 (RFC 8760). */
export const DEFAULT_DIGEST_ALGORITHMS: DigestAlgorithms = { MD5: md5, 'SHA-256': sha256 };

export type DigestQop = 'auth' | 'auth-int';

/** A Digest challenge we are able to answer, reduced to what the answer needs. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  /** The `algorithm` token exactly as the challenge wrote it; absent when the challenge omitted it. */
  readonly algorithm?: string;
  /** The key of the hash in {@link DigestAlgorithms}: what ranks the challenge. */
  readonly name: string;
  readonly hash: DigestHash;
  /** The qop we will use; absent for an RFC 2069 style challenge that offered none. */
  readonly qop?: DigestQop;
  /** `stale=true`: the nonce expired but our previous digest was right (RFC 7616 §3.3). */
  readonly stale: boolean;
  /** A `-sess` algorithm (digest variants only). */
  readonly sess?: boolean;
  /** `userhash=true`: the server accepts H(username:realm) (digest variants only, RFC 7616 §3.4.4). */
  readonly userhash?: boolean;
}

/** What one answer to a challenge needs besides the challenge. */
export interface CredentialsInput {
  readonly username: string;
  readonly password: string;
  readonly method: string;
  /** The Request-URI of the request being authorized, as it appears on its request line. */
  readonly uri: string;
  /** The request body, for `qop=auth-int`. */
  readonly body?: string;
  /** Fresh client nonce for this challenge's nonce; sent only with a qop. */
  readonly cnonce: string;
  /** Requests sent with this nonce, this one included; sent only with a qop. */
  readonly nc: number;
}

/**
 * The opt-in Digest variants (digest-variants.ts): when installed they read and answer every
 * challenge in place of the core's `readChallenge` and `buildCredentials`.
 */
export interface DigestVariants {
  read(value: AuthValue, algorithms: DigestAlgorithms): DigestChallenge | undefined;
  answer(challenge: DigestChallenge, input: CredentialsInput): AuthValue;
}

/**
 * The request-digest of RFC 7616 §3.4.1: KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2)) with
 * KD(secret, data) = H(secret ":" data). RFC 2617 §3.2.2.1: without a qop directive it is
 * KD(H(A1), nonce ":" H(A2)), the RFC 2069 computation kept for compatibility.
 *
 * @param qopPart `nc:cnonce:qop`, or undefined without a qop.
 */
export function requestDigest(
  H: DigestHash,
  ha1: string,
  a2: string,
  nonce: string,
  qopPart?: string,
): string {
  return H(`${ha1}:${nonce}:${qopPart ? qopPart + ':' : ''}${H(a2)}`);
}

/** An `algorithm` token resolved against the available hashes. */
export interface DigestAlgorithm {
  /** The registry name as the algorithms record spells it, `-sess` removed. */
  readonly name: string;
  readonly hash: DigestHash;
  /** A `-sess` variant, whose A1 binds the nonce and cnonce (RFC 7616 §3.4.2). */
  readonly sess: boolean;
}

/** Programmer misuse of the digest functions (missing cnonce, bad nc …); never raised for wire input. */
export class DigestInputError extends Error {
  override readonly name = 'DigestInputError';
}

/**
 * Resolves an `algorithm` token from a challenge, or `undefined` when no hash of that name is
 * available. RFC 7616 §3.3: the token is case-insensitive ("MD5-Sess" is MD5-sess).
 */
export function parseDigestAlgorithm(
  token: string,
  algorithms: DigestAlgorithms = DEFAULT_DIGEST_ALGORITHMS,
): DigestAlgorithm | undefined {
  const lower = token.toLowerCase();
  const sess = lower.endsWith('-sess');
  const base = sess ? lower.slice(0, -5) : lower;
  for (const [name, hash] of Object.entries(algorithms)) {
    if (name.toLowerCase() === base) return { name, hash, sess };
  }
  return undefined;
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
 * @throws {DigestInputError} when `qop` or a `-sess` algorithm is used without `cnonce`, or `qop`
 *   without `nc` as 8 hex digits.
 */
export function computeDigestResponse(input: DigestResponseInput): string {
  const { algorithm, username, realm, password, method, uri, nonce, cnonce, nc, qop } = input;
  const H = algorithm.hash;
  if ((qop !== undefined || algorithm.sess) && !cnonce) throw new DigestInputError('missing cnonce');
  if (qop !== undefined && !/^[0-9a-f]{8}$/i.test(nc ?? ''))
    throw new DigestInputError('nc must be 8 hex digits');

  let ha1 = H(`${username}:${realm}:${password}`);
  // RFC 7616 §3.4.2: for the -sess variants
  // "A1 = H( unq(username) ":" unq(realm) ":" passwd ) ":" unq(nonce-prime) ":" unq(cnonce-prime)"
  if (algorithm.sess) ha1 = H(`${ha1}:${nonce}:${cnonce}`);

  // RFC 7616 §3.4.3: "If the qop parameter's value is "auth-int", then A2 is:
  //   A2 = Method ":" request-uri ":" H(entity-body)"
  // RFC 3261 §22.4 hashes an empty body as the empty string rather than leaving the term out.
  const a2 = qop === 'auth-int' ? `${method}:${uri}:${H(input.body ?? '')}` : `${method}:${uri}`;
  return requestDigest(H, ha1, a2, nonce, qop && `${nc}:${cnonce}:${qop}`);
}
