/**
 * Digest challenges and credentials, RFC 3261 §22.2–§22.4 with RFC 7616 §3.3–§3.4 and RFC 8760.
 *
 * Reads the `AuthValue`s of WWW-Authenticate / Proxy-Authenticate (untrusted: every problem is a
 * typed reason, never an exception), picks the one to answer, and builds the Authorization /
 * Proxy-Authorization value.
 */
import type { AuthValue } from '../message/types';
import {
  computeDigestResponse,
  DEFAULT_DIGEST_ALGORITHMS,
  parseDigestAlgorithm,
  type DigestAlgorithm,
  type DigestAlgorithms,
  type DigestQop,
} from './digest';

/**
 * Writes credentials as header text. Nothing beyond the header grammar is needed: every value of
 * {@link buildCredentials} is a token, hex, or text checked for control characters (the
 * challenge's in {@link parseDigestChallenge}, the user name by the authenticator).
 */
export { formatAuthValue as formatCredentials } from '../message/format-header';

/** A Digest challenge we are able to answer, reduced to what the answer needs. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  readonly algorithm: DigestAlgorithm;
  /** The `algorithm` token exactly as the challenge wrote it; absent when the challenge omitted it. */
  readonly algorithmToken?: string;
  /** The qop we will use; absent for an RFC 2069 style challenge that offered none. */
  readonly qop?: DigestQop;
  /** `stale=true`: the nonce expired but our previous digest was right (RFC 7616 §3.3). */
  readonly stale: boolean;
  /** `userhash=true`: send H(username:realm) instead of the user name (RFC 7616 §3.4.4). */
  readonly userhash: boolean;
}

/** Why one challenge cannot be answered. */
export type ChallengeRejection =
  | 'not-digest'
  | 'missing-realm'
  | 'missing-nonce'
  | 'unsupported-algorithm'
  | 'unsupported-qop'
  | 'sess-without-qop'
  | 'bad-characters';

export type ChallengeParseResult =
  | { readonly ok: true; readonly challenge: DigestChallenge }
  | { readonly ok: false; readonly reason: ChallengeRejection };

export type ChallengeSelection =
  | { readonly ok: true; readonly challenge: DigestChallenge }
  | {
      readonly ok: false;
      readonly reason: 'no-supported-challenge';
      /** One entry per offered challenge, in header order: why each was unusable. */
      readonly rejected: readonly ChallengeRejection[];
    };

/**
 * Control characters (other than HTAB). In a value we echo back they would let a hostile server
 * smuggle a line break into our request, so such a challenge is refused instead of being escaped.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

const isTrue = (flag: string | undefined): boolean => flag?.toLowerCase() === 'true';

/**
 * Reads one challenge (RFC 7616 §3.3). Total: unknown schemes, algorithms or qop values give a
 * reason, never an exception.
 */
export function parseDigestChallenge(
  value: AuthValue,
  algorithms: DigestAlgorithms = DEFAULT_DIGEST_ALGORITHMS,
): ChallengeParseResult {
  if (value.scheme.toLowerCase() !== 'digest') return { ok: false, reason: 'not-digest' };
  const { realm, nonce, opaque, algorithm: algorithmToken, qop: qopOptions } = value.params;
  if (realm === undefined) return { ok: false, reason: 'missing-realm' };
  if (!nonce) return { ok: false, reason: 'missing-nonce' };
  if (CONTROL.test(realm + nonce + (opaque ?? ''))) return { ok: false, reason: 'bad-characters' };

  // RFC 2617 §3.2.1: "If this is not present it is assumed to be "MD5"."
  const algorithm = parseDigestAlgorithm(algorithmToken ?? 'MD5', algorithms);
  if (algorithm === undefined) return { ok: false, reason: 'unsupported-algorithm' };

  let qop: DigestQop | undefined;
  if (qopOptions !== undefined) {
    const offered = qopOptions.split(',').map((t) => t.trim().toLowerCase());
    // `auth` protects no body but is what every server verifies; `auth-int` only when it is all
    // the server accepts, because a proxy that rewrites the body would break it.
    if (offered.includes('auth')) qop = 'auth';
    else if (offered.includes('auth-int')) qop = 'auth-int';
    else return { ok: false, reason: 'unsupported-qop' };
  }
  // RFC 2617 §3.2.2: cnonce "MUST NOT be specified if the server did not send a qop directive",
  // so the server could never recompute a -sess A1, which needs the cnonce.
  if (qop === undefined && algorithm.sess) return { ok: false, reason: 'sess-without-qop' };

  const challenge: DigestChallenge = {
    realm,
    nonce,
    opaque,
    algorithm,
    algorithmToken,
    qop,
    stale: isTrue(value.params['stale']),
    userhash: isTrue(value.params['userhash']),
  };
  return { ok: true, challenge };
}

/**
 * Picks the challenge to answer among the WWW-Authenticate or Proxy-Authenticate values of one
 * response: the one whose hash comes last in `algorithms` (by default SHA-256 over MD5, a `-sess`
 * variant ranking with its hash), the first in header order on a tie. A challenge naming a hash
 * that is not in `algorithms` is `unsupported-algorithm`.
 *
 * NOTE: RFC 7616 §3.7 has the client take the first challenge it supports "unless a local policy
 * dictates otherwise"; our policy is strongest-first, so a server that lists MD5 before SHA-256
 * still gets SHA-256 (RFC 8760 updates SIP precisely to move it off MD5).
 */
export function selectDigestChallenge(
  values: readonly AuthValue[],
  algorithms: DigestAlgorithms = DEFAULT_DIGEST_ALGORITHMS,
): ChallengeSelection {
  const rank = (c: DigestChallenge): number => Object.keys(algorithms).indexOf(c.algorithm.name);
  let best: DigestChallenge | undefined;
  const rejected: ChallengeRejection[] = [];
  for (const value of values) {
    const parsed = parseDigestChallenge(value, algorithms);
    if (!parsed.ok) rejected.push(parsed.reason);
    else if (best === undefined || rank(parsed.challenge) > rank(best)) best = parsed.challenge;
  }
  return best === undefined
    ? { ok: false, reason: 'no-supported-challenge', rejected }
    : { ok: true, challenge: best };
}

export interface CredentialsInput {
  readonly challenge: DigestChallenge;
  readonly username: string;
  readonly password: string;
  readonly method: string;
  /** The Request-URI of the request being authorized, as it appears on its request line. */
  readonly uri: string;
  /** The request body, for `qop=auth-int`. */
  readonly body?: string;
  /** Required when the challenge has a qop. */
  readonly cnonce?: string;
  /** Number of requests sent with this nonce, this one included; required when the challenge has a qop. */
  readonly nc?: number;
}

/**
 * Builds the Authorization / Proxy-Authorization value answering `challenge` (RFC 3261 §22.4,
 * RFC 7616 §3.4). Parameters in the order of the RFC examples: username, realm, nonce, uri,
 * response, algorithm, cnonce, nc, qop, opaque, userhash.
 *
 * @throws {DigestInputError} when the challenge has a qop and `cnonce` or `nc` is missing.
 */
export function buildCredentials(input: CredentialsInput): AuthValue {
  const { challenge, username, uri, cnonce } = input;
  const { realm, nonce, qop, algorithm, algorithmToken, opaque } = challenge;
  // RFC 7616 §3.4: nc is 8 hex digits, "00000001" for the first request with a nonce.
  const nc = input.nc?.toString(16).padStart(8, '0');
  // `input` brings the user name, password, method, uri, body and cnonce.
  const response = computeDigestResponse({ ...input, realm, nonce, algorithm, qop, nc });

  const params: Record<string, string> = {
    // RFC 7616 §3.4.4: with userhash, "username = H( unq(username) ":" unq(realm) )".
    username: challenge.userhash ? algorithm.hash(`${username}:${realm}`) : username,
    realm,
    nonce,
    uri,
    response,
  };
  // RFC 7616 §3.4: "The values of the opaque and algorithm fields must be those supplied in the
  // WWW-Authenticate response header field for the entity being requested." An omitted algorithm
  // stays omitted: RFC 2069 servers do not expect the parameter.
  if (algorithmToken !== undefined) params['algorithm'] = algorithmToken;
  // RFC 2617 §3.2.2: cnonce and nc "MUST NOT be specified if the server did not send a qop
  // directive" (and a -sess challenge without qop never gets here). With a qop both are present,
  // or computeDigestResponse would have thrown.
  if (qop !== undefined) Object.assign(params, { cnonce, nc, qop });
  if (opaque !== undefined) params['opaque'] = opaque;
  if (challenge.userhash) params['userhash'] = 'true';
  return { scheme: 'Digest', params };
}
