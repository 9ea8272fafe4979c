/**
 * The server side of Digest authentication for the dev exchange's registrar: RFC 3261 §22.4 as
 * updated by RFC 8760 (SHA-256 next to MD5) and RFC 7616 §3.3–3.4 (`qop=auth`).
 *
 * DEVELOPMENT CONVENIENCE ONLY: passwords come from a plain JSON file and nonces live in memory.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { getAuthValues, type AuthValue, type SipRequest } from '../src/sip/index';
import { computeDigestResponse, DigestInputError, parseDigestAlgorithm } from '../src/sip/auth/digest';

/** The algorithms we offer, preferred first (RFC 8760 §2.4: SHA-256 before MD5). */
const OFFERED: readonly string[] = ['SHA-256', 'MD5'];

export type DigestVerdict =
  /** No credentials for our realm: challenge. */
  | { readonly kind: 'missing' }
  /** Right password over a nonce we no longer honour: challenge again with `stale=true`. */
  | { readonly kind: 'stale' }
  /** Unknown user, wrong password or malformed credentials. */
  | { readonly kind: 'rejected'; readonly why: string }
  | { readonly kind: 'ok'; readonly username: string };

export interface DigestChallengerOptions {
  readonly realm: string;
  /** user name → password */
  readonly users: Readonly<Record<string, string>>;
  readonly now: () => number;
  /** How long a nonce is honoured; default 5 minutes. */
  readonly nonceLifetimeMs?: number;
}

interface NonceState {
  readonly issuedAt: number;
  /** Highest nonce-count seen, so a replayed `nc` is refused (RFC 7616 §3.4). */
  lastNc: number;
}

export class DigestChallenger {
  readonly realm: string;
  readonly #users: Readonly<Record<string, string>>;
  readonly #now: () => number;
  readonly #lifetime: number;
  readonly #nonces = new Map<string, NonceState>();

  constructor(options: DigestChallengerOptions) {
    this.realm = options.realm;
    this.#users = options.users;
    this.#now = options.now;
    this.#lifetime = options.nonceLifetimeMs ?? 5 * 60_000;
  }

  /** True when `user` is listed in the credentials. */
  knows(user: string): boolean {
    return Object.hasOwn(this.#users, user);
  }

  /**
   * WWW-Authenticate values for a 401, one per offered algorithm over the same nonce. RFC 8760
   * §2.4: "the UAS ... MUST add the WWW-Authenticate header fields in the order of preference".
   */
  challenge(stale = false): string[] {
    this.#purge();
    const nonce = randomBytes(16).toString('base64url');
    this.#nonces.set(nonce, { issuedAt: this.#now(), lastNc: 0 });
    return OFFERED.map(
      (algorithm) =>
        `Digest realm="${this.realm}", nonce="${nonce}", algorithm=${algorithm}, qop="auth"` +
        (stale ? ', stale=true' : ''),
    );
  }

  /** Checks the Authorization of `request` (§22.4; RFC 7616 §3.4). Never throws. */
  verify(request: SipRequest): DigestVerdict {
    const values = getAuthValues(request, 'Authorization');
    if (!values.ok) return { kind: 'rejected', why: 'unparseable Authorization' };
    const ours = values.value.find(
      (v) => v.scheme.toLowerCase() === 'digest' && v.params['realm'] === this.realm,
    );
    if (ours === undefined) return { kind: 'missing' };
    return this.#check(request, ours);
  }

  #check(request: SipRequest, credentials: AuthValue): DigestVerdict {
    const p = credentials.params;
    const username = p['username'] ?? '';
    const password = Object.hasOwn(this.#users, username) ? this.#users[username] : undefined;
    if (password === undefined) return { kind: 'rejected', why: `unknown user "${username}"` };
    const algorithm = parseDigestAlgorithm(p['algorithm'] ?? 'MD5');
    if (algorithm === undefined || algorithm.sess || !OFFERED.includes(algorithm.name)) {
      return { kind: 'rejected', why: `algorithm ${p['algorithm'] ?? '?'} was not offered` };
    }
    // We challenge with qop="auth" only; RFC 7616 §3.4: "the client MUST use one of the
    // offered qop values".
    if (p['qop'] !== 'auth') return { kind: 'rejected', why: 'qop must be auth' };
    const nonce = p['nonce'] ?? '';
    const nc = p['nc'] ?? '';
    let expected: string;
    try {
      expected = computeDigestResponse({
        algorithm,
        username,
        realm: this.realm,
        password,
        method: request.method,
        uri: p['uri'] ?? '',
        nonce,
        cnonce: p['cnonce'] ?? '',
        nc,
        qop: 'auth',
      });
    } catch (e) {
      if (e instanceof DigestInputError) return { kind: 'rejected', why: e.message };
      throw e;
    }
    if (!sameHex(expected, p['response'] ?? '')) {
      return { kind: 'rejected', why: `wrong password for "${username}"` };
    }
    const state = this.#nonces.get(nonce);
    const count = parseInt(nc, 16);
    if (state === undefined || this.#now() - state.issuedAt > this.#lifetime || count <= state.lastNc) {
      return { kind: 'stale' };
    }
    state.lastNc = count;
    return { kind: 'ok', username };
  }

  #purge(): void {
    const now = this.#now();
    for (const [nonce, state] of this.#nonces) {
      if (now - state.issuedAt > this.#lifetime) this.#nonces.delete(nonce);
    }
  }
}

/** Constant-time comparison of two hex digests (case-insensitive). */
function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}
