/**
 * The UAC side of SIP Digest authentication for one set of credentials: RFC 3261 §22.2 (UAS
 * challenges), §22.3 (proxy challenges) and §22.4, with RFC 7616 / RFC 8760 algorithms.
 *
 * Per (challenge header, realm) it keeps the nonce last answered, its nonce count and cnonce,
 * and an explicit exchange state so that wrong credentials end in `credentials-rejected` instead
 * of an endless 401 loop:
 *
 * ```
 *   (none)                  --challenge-->              answered
 *   answered                --challenge, stale=true-->  stale-retried
 *   answered                --challenge, not stale-->   (entry dropped: credentials-rejected)
 *   stale-retried           --any challenge-->          (entry dropped: credentials-rejected)
 *   answered | stale-retried --accepted()-->            accepted
 *   accepted                --challenge-->              answered
 * ```
 * A challenge right after an answer is a rejection unless it says stale, and a stale retry is
 * made once.
 *
 * Callers must call {@link DigestAuthenticator.accepted} when a request that carried credentials
 * gets a final response other than 401/407: without it the next challenge for that realm is taken
 * as a rejection of the last answer. One challenged exchange per realm at a time is assumed.
 *
 * The password lives in a private field only (invisible to JSON.stringify and util.inspect), and
 * no password-derived value (H(A1)) is kept.
 */
import type { AuthValue } from '../message/types';
import { InvalidArgumentError } from '../support/errors';
import { buildCredentials, CONTROL, selectDigestChallenge } from './challenge';
import { DEFAULT_DIGEST_ALGORITHMS, VARIANTS, type DigestAlgorithms } from './digest';

export type ChallengeHeader = 'WWW-Authenticate' | 'Proxy-Authenticate';
export type CredentialsHeader = 'Authorization' | 'Proxy-Authorization';

/** Where the exchange with one realm stands (see the diagram in the module comment). */
export type RealmAuthState = 'answered' | 'stale-retried' | 'accepted';

export interface AuthorizeRequest {
  readonly method: string;
  /** The Request-URI exactly as it will appear on the request line. */
  readonly uri: string;
  readonly body: string;
}

export type AuthorizeResult =
  | { readonly ok: true; readonly headerName: CredentialsHeader; readonly value: AuthValue }
  /** No offered challenge is one we can answer (scheme, algorithm, qop or a malformed one). */
  | { readonly ok: false; readonly reason: 'no-supported-challenge' }
  | { readonly ok: false; readonly reason: 'credentials-rejected'; readonly realm: string };

export interface DigestAuthenticatorOptions {
  readonly username: string;
  readonly password: string;
  /** Fresh random hex of at least 8 bytes per call (the cnonce), e.g. `() => random.cnonce()`. */
  readonly random: () => string;
  /**
   * Hashes added to (or replacing) the built-in MD5 and SHA-256, e.g.
   * `{ 'SHA-512-256': sha512_256, ...digestVariants() }`; added ones are preferred over the
   * built-in ones.
   */
  readonly algorithms?: DigestAlgorithms;
}

interface RealmEntry {
  readonly header: ChallengeHeader;
  state: RealmAuthState;
  /** The nonce of the last challenge answered, with its cnonce and the requests sent with it. */
  nonce: string;
  cnonce: string;
  nc: number;
}

export class DigestAuthenticator {
  readonly #username: string;
  readonly #password: string;
  readonly #random: () => string;
  readonly #algorithms: DigestAlgorithms;
  /** Keyed by `${header} ${realm}`. */
  readonly #realms = new Map<string, RealmEntry>();

  /** @throws {InvalidArgumentError} when the user name is empty or holds a control character. */
  constructor(options: DigestAuthenticatorOptions) {
    // The user name goes into every Authorization header: a line break would split it.
    if (!options.username || CONTROL.test(options.username)) throw new InvalidArgumentError('bad username');
    this.#username = options.username;
    this.#password = options.password;
    this.#random = options.random;
    this.#algorithms = { ...DEFAULT_DIGEST_ALGORITHMS, ...options.algorithms };
  }

  /**
   * Answers the challenges of a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) for the retry
   * of `request`. The caller sends the retry with a new CSeq (RFC 3261 §22.2: "it MUST increment
   * the CSeq header field value as it would normally when sending an updated request").
   *
   * Never throws for anything in `challenges`.
   */
  authorize(
    request: AuthorizeRequest,
    challenges: readonly AuthValue[],
    header: ChallengeHeader,
  ): AuthorizeResult {
    const algorithms = this.#algorithms;
    const challenge = selectDigestChallenge(challenges, algorithms);
    if (!challenge) return { ok: false, reason: 'no-supported-challenge' };
    const key = `${header} ${challenge.realm}`;
    let entry = this.#realms.get(key);

    if (!entry) this.#realms.set(key, (entry = { header, state: 'answered', nonce: '', cnonce: '', nc: 0 }));
    // The previous exchange for this realm is over: answer afresh.
    else if (entry.state === 'accepted') entry.state = 'answered';
    // RFC 7616 §3.3: "If stale is TRUE, the client may wish to simply retry the request with a
    // new encrypted response, without reprompting the user for a new username and password."
    // Once: a second challenge after that is a rejection.
    else if (entry.state === 'answered' && challenge.stale) entry.state = 'stale-retried';
    else {
      // Forget the realm: a later, separate attempt starts over.
      this.#realms.delete(key);
      return { ok: false, reason: 'credentials-rejected', realm: challenge.realm };
    }

    // RFC 7616 §3.4: nc "is the hexadecimal count of the number of requests (including the
    // current request) that the client has sent with the nonce value in this request"; a new
    // nonce restarts it and draws a new cnonce.
    if (challenge.nonce !== entry.nonce) {
      entry.nonce = challenge.nonce;
      entry.nc = 0;
      entry.cnonce = this.#random();
    }
    const input = {
      ...request,
      username: this.#username,
      password: this.#password,
      cnonce: entry.cnonce,
      nc: ++entry.nc,
    };
    // RFC 3261 §22.2 / §22.3: a WWW-Authenticate challenge is answered in Authorization, a
    // Proxy-Authenticate challenge in Proxy-Authorization.
    return {
      ok: true,
      headerName: header === 'WWW-Authenticate' ? 'Authorization' : 'Proxy-Authorization',
      value: (algorithms[VARIANTS]?.answer ?? buildCredentials)(challenge, input),
    };
  }

  /**
   * Reports that the last request carrying credentials for `header` got a final response other
   * than 401/407. Realms with nothing outstanding are left as they are.
   */
  accepted(header: ChallengeHeader): void {
    for (const entry of this.#realms.values()) if (entry.header === header) entry.state = 'accepted';
  }
}
