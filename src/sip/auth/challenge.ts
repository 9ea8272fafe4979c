/**
 * Digest challenges and credentials, RFC 3261 §22.2–§22.4 with RFC 7616 §3.3–§3.4 and RFC 8760.
 *
 * Reads the `AuthValue`s of WWW-Authenticate / Proxy-Authenticate (untrusted: a challenge we
 * cannot answer is `undefined`, never an exception), picks the one to answer, and builds the
 * Authorization / Proxy-Authorization value. The core answers MD5 and SHA-256 (and any added
 * hash) with `qop=auth` or no qop; the other variants come from digest-variants.ts.
 */
import type { AuthValue } from '../message/types';
import {
  DEFAULT_DIGEST_ALGORITHMS,
  requestDigest,
  VARIANTS,
  type CredentialsInput,
  type DigestAlgorithms,
  type DigestChallenge,
} from './digest';

/**
 * Writes credentials as header text. Nothing beyond the header grammar is needed: every value of
 * {@link buildCredentials} is a token, hex, or text checked for control characters (the
 * challenge's in {@link readChallenge}, the user name by the authenticator).
 */
export { formatAuthValue as formatCredentials } from '../message/format-header';

/**
 * Control characters (other than HTAB). In a value we echo back they would let a hostile server
 * smuggle a line break into our request, so such a challenge is refused instead of being escaped.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** The qop values a challenge offers, lower-cased (RFC 7616 §3.3: a quoted, comma-separated list). */
export const qopOptions = (value: AuthValue): string[] | undefined =>
  value.params['qop']
    ?.toLowerCase()
    .split(',')
    .map((t) => t.trim());

/**
 * Reads one challenge (RFC 7616 §3.3): `undefined` when it is not Digest, lacks a realm or nonce,
 * carries control characters, names a hash that is not in `algorithms` (a `-sess` token included),
 * or offers qop values without `auth`. Total: never throws.
 */
export function readChallenge(
  value: AuthValue,
  algorithms: DigestAlgorithms = DEFAULT_DIGEST_ALGORITHMS,
): DigestChallenge | undefined {
  const { realm, nonce, opaque, algorithm, stale } = value.params;
  // RFC 2617 §3.2.1: "If this is not present it is assumed to be "MD5"." Tokens are
  // case-insensitive and registry names upper case; no Object.prototype member is all upper case,
  // so a hostile token cannot reach one.
  const name = (algorithm ?? 'MD5').toUpperCase();
  const hash = algorithms[name];
  const offered = qopOptions(value);
  if (
    value.scheme.toLowerCase() !== 'digest' ||
    realm === undefined ||
    !nonce ||
    !hash ||
    CONTROL.test(realm + nonce + (opaque ?? '')) ||
    // `auth` is what every server verifies; `auth-int` alone is a variant.
    (offered && !offered.includes('auth'))
  )
    return undefined;
  return {
    realm,
    nonce,
    opaque,
    algorithm,
    name,
    hash,
    qop: offered && 'auth',
    stale: stale?.toLowerCase() === 'true',
  };
}

/**
 * Picks the challenge to answer among the WWW-Authenticate or Proxy-Authenticate values of one
 * response: the one whose hash comes last in `algorithms` (by default SHA-256 over MD5), the first
 * in header order on a tie; `undefined` when none can be answered. Read by the installed variants
 * if any, else by {@link readChallenge}.
 *
 * NOTE: RFC 7616 §3.7 has the client take the first challenge it supports "unless a local policy
 * dictates otherwise"; our policy is strongest-first, so a server that lists MD5 before SHA-256
 * still gets SHA-256 (RFC 8760 updates SIP precisely to move it off MD5).
 */
export function selectDigestChallenge(
  values: readonly AuthValue[],
  algorithms: DigestAlgorithms = DEFAULT_DIGEST_ALGORITHMS,
): DigestChallenge | undefined {
  const read = algorithms[VARIANTS]?.read ?? readChallenge;
  const rank = (c: DigestChallenge): number => Object.keys(algorithms).indexOf(c.name);
  let best: DigestChallenge | undefined;
  for (const value of values) {
    const challenge = read(value, algorithms);
    if (challenge && (!best || rank(challenge) > rank(best))) best = challenge;
  }
  return best;
}

/** The `response` parameter of the core: A1 = user:realm:password, A2 = Method:uri (RFC 7616 §3.4). */
const coreResponse = (c: DigestChallenge, input: CredentialsInput, nc: string): string =>
  requestDigest(
    c.hash,
    c.hash(`${input.username}:${c.realm}:${input.password}`),
    `${input.method}:${input.uri}`,
    c.nonce,
    c.qop && `${nc}:${input.cnonce}:${c.qop}`,
  );

/**
 * Builds the Authorization / Proxy-Authorization value answering `challenge` (RFC 3261 §22.4,
 * RFC 7616 §3.4). Parameters in the order of the RFC examples: username, realm, nonce, uri,
 * response, algorithm, cnonce, nc, qop, opaque.
 *
 * @param response the `response` computation; the variants pass their own.
 */
export function buildCredentials(
  challenge: DigestChallenge,
  input: CredentialsInput,
  response = coreResponse,
): AuthValue {
  const { realm, nonce, qop, algorithm, opaque } = challenge;
  // RFC 7616 §3.4: nc is 8 hex digits, "00000001" for the first request with a nonce.
  const nc = input.nc.toString(16).padStart(8, '0');
  const params: Record<string, string> = {
    username: input.username,
    realm,
    nonce,
    uri: input.uri,
    response: response(challenge, input, nc),
    // RFC 7616 §3.4: "The values of the opaque and algorithm fields must be those supplied in the
    // WWW-Authenticate response header field for the entity being requested." An omitted
    // algorithm stays omitted: RFC 2069 servers do not expect the parameter.
    ...(algorithm !== undefined && { algorithm }),
    // RFC 2617 §3.2.2: cnonce and nc "MUST NOT be specified if the server did not send a qop
    // directive".
    ...(qop && { cnonce: input.cnonce, nc, qop }),
    ...(opaque !== undefined && { opaque }),
  };
  return { scheme: 'Digest', params };
}
