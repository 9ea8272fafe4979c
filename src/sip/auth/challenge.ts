/**
 * Digest challenges and credentials, RFC 3261 §22.2–§22.4 with RFC 7616 §3.3–§3.4 and RFC 8760.
 *
 * Reads the `AuthValue`s of WWW-Authenticate / Proxy-Authenticate (untrusted: every problem is a
 * typed reason, never an exception), picks the one to answer, and builds and formats the
 * Authorization / Proxy-Authorization value.
 */
import { formatAuthValue } from '../message/format-header';
import type { AuthValue } from '../message/types';
import {
  computeDigestResponse,
  computeUserhash,
  DigestInputError,
  formatNonceCount,
  isSessionAlgorithm,
  parseDigestAlgorithm,
  type DigestAlgorithm,
  type DigestQop,
} from './digest';

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

// Control characters (other than HTAB) in a value we echo back would let a hostile server smuggle
// a line break into our request; such a challenge is refused instead of being escaped.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

const STRENGTH: Record<DigestAlgorithm, number> = {
  MD5: 1,
  'MD5-sess': 1,
  'SHA-256': 2,
  'SHA-256-sess': 2,
  'SHA-512-256': 3,
  'SHA-512-256-sess': 3,
};

/**
 * Reads one challenge (RFC 7616 §3.3). Total: unknown schemes, algorithms or qop values give a
 * reason, never an exception.
 */
export function parseDigestChallenge(value: AuthValue): ChallengeParseResult {
  if (value.scheme.toLowerCase() !== 'digest') return { ok: false, reason: 'not-digest' };
  const p = value.params;
  const realm = p['realm'];
  const nonce = p['nonce'];
  if (realm === undefined) return { ok: false, reason: 'missing-realm' };
  if (nonce === undefined || nonce === '') return { ok: false, reason: 'missing-nonce' };
  const opaque = p['opaque'];
  if (CONTROL.test(realm) || CONTROL.test(nonce) || (opaque !== undefined && CONTROL.test(opaque))) {
    return { ok: false, reason: 'bad-characters' };
  }

  const algorithmToken = p['algorithm'];
  // RFC 2617 §3.2.1: "If this is not present it is assumed to be "MD5"."
  const algorithm = algorithmToken === undefined ? 'MD5' : parseDigestAlgorithm(algorithmToken);
  if (algorithm === undefined) return { ok: false, reason: 'unsupported-algorithm' };

  let qop: DigestQop | undefined;
  const qopOptions = p['qop'];
  if (qopOptions !== undefined) {
    const offered = qopOptions
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== '');
    // `auth` protects no body but is what every server verifies; `auth-int` only when it is all
    // the server accepts, because a proxy that rewrites the body would break it.
    if (offered.includes('auth')) qop = 'auth';
    else if (offered.includes('auth-int')) qop = 'auth-int';
    else return { ok: false, reason: 'unsupported-qop' };
  }
  // RFC 2617 §3.2.2: cnonce "MUST NOT be specified if the server did not send a qop directive",
  // so the server could never recompute a -sess A1, which needs the cnonce.
  if (qop === undefined && isSessionAlgorithm(algorithm)) return { ok: false, reason: 'sess-without-qop' };

  const challenge: DigestChallenge = {
    realm,
    nonce,
    algorithm,
    stale: (p['stale'] ?? '').toLowerCase() === 'true',
    userhash: (p['userhash'] ?? '').toLowerCase() === 'true',
    ...(opaque !== undefined ? { opaque } : {}),
    ...(algorithmToken !== undefined ? { algorithmToken } : {}),
    ...(qop !== undefined ? { qop } : {}),
  };
  return { ok: true, challenge };
}

/**
 * Picks the challenge to answer among the WWW-Authenticate or Proxy-Authenticate values of one
 * response: the strongest algorithm we implement (SHA-512-256 > SHA-256 > MD5, a `-sess` variant
 * ranking with its hash), the first in header order on a tie.
 *
 * NOTE: RFC 7616 §3.7 has the client take the first challenge it supports "unless a local policy
 * dictates otherwise"; our policy is strongest-first, so a server that lists MD5 before SHA-256
 * still gets SHA-256 (RFC 8760 updates SIP precisely to move it off MD5).
 */
export function selectDigestChallenge(values: readonly AuthValue[]): ChallengeSelection {
  let best: DigestChallenge | undefined;
  const rejected: ChallengeRejection[] = [];
  for (const value of values) {
    const parsed = parseDigestChallenge(value);
    if (!parsed.ok) {
      rejected.push(parsed.reason);
      continue;
    }
    if (best === undefined || STRENGTH[parsed.challenge.algorithm] > STRENGTH[best.algorithm]) {
      best = parsed.challenge;
    }
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
  const { challenge, username, password, method, uri, cnonce } = input;
  const { realm, nonce, qop, algorithm } = challenge;
  if (qop !== undefined && (cnonce === undefined || input.nc === undefined)) {
    throw new DigestInputError('a challenge with qop needs a cnonce and a nonce count');
  }
  const nc = qop !== undefined && input.nc !== undefined ? formatNonceCount(input.nc) : undefined;
  const response = computeDigestResponse({
    algorithm,
    username,
    realm,
    password,
    method,
    uri,
    nonce,
    ...(qop !== undefined ? { qop, cnonce, nc } : {}),
    // -sess without qop is refused by parseDigestChallenge, so a -sess cnonce always travels.
    ...(qop === undefined && isSessionAlgorithm(algorithm) ? { cnonce } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
  });

  const params: Record<string, string> = {
    username: challenge.userhash ? computeUserhash(algorithm, username, realm) : username,
    realm,
    nonce,
    uri,
    response,
  };
  // RFC 7616 §3.4: "The values of the opaque and algorithm fields must be those supplied in the
  // WWW-Authenticate response header field for the entity being requested." An omitted algorithm
  // stays omitted: RFC 2069 servers do not expect the parameter.
  if (challenge.algorithmToken !== undefined) params['algorithm'] = challenge.algorithmToken;
  if (qop !== undefined && cnonce !== undefined && nc !== undefined) {
    params['cnonce'] = cnonce;
    params['nc'] = nc;
    params['qop'] = qop;
  }
  if (challenge.opaque !== undefined) params['opaque'] = challenge.opaque;
  if (challenge.userhash) params['userhash'] = 'true';
  return { scheme: 'Digest', params };
}

// RFC 7616 §3.4: "For historical reasons, a sender MUST NOT generate the quoted string syntax for
// the following parameters: algorithm, qop, and nc." `userhash` is a bare true/false token in the
// §3.4 ABNF and its examples, so it is written bare too.
const UNQUOTED = new Set(['algorithm', 'qop', 'nc', 'userhash']);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Formats a credentials value as the text of an Authorization / Proxy-Authorization header
 * field: `Digest username="…", …, nc=00000001, qop=auth`. Quoted values escape `\` and `"`
 * (RFC 3261 §25.1 quoted-pair).
 *
 * @throws {DigestInputError} when the scheme or a parameter name is not a token, an unquoted
 *   parameter's value is not a token, or a value holds a control character (a line break would
 *   split the header).
 */
export function formatCredentials(value: AuthValue): string {
  if (!TOKEN.test(value.scheme)) throw new DigestInputError(`auth scheme is not a token: ${value.scheme}`);
  for (const [name, raw] of Object.entries(value.params)) {
    if (!TOKEN.test(name)) throw new DigestInputError(`auth parameter name is not a token: ${name}`);
    if (CONTROL.test(raw)) throw new DigestInputError(`auth parameter ${name} holds a control character`);
    if (UNQUOTED.has(name.toLowerCase()) && !TOKEN.test(raw)) {
      throw new DigestInputError(`auth parameter ${name} must be a token`);
    }
  }
  // The guards above are what credentials need beyond the header grammar; the writing itself
  // (which parameters are quoted, how quotes and backslashes are escaped) is the message layer's.
  return formatAuthValue(value);
}
