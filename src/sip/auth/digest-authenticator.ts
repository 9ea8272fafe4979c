/**
 * The UAC side of SIP Digest authentication for one set of credentials: RFC 3261 §22.2 (UAS
 * challenges), §22.3 (proxy challenges) and §22.4, with RFC 7616 / RFC 8760 algorithms.
 *
 * Per (challenge header, realm) it keeps the last challenge answered, its nonce count and cnonce,
 * and an explicit exchange state so that wrong credentials end in `credentials-rejected` instead
 * of an endless 401 loop:
 *
 * ```
 *   (none)                 --challenge-->              Answered
 *   Answered               --challenge, stale=true-->  StaleRetried
 *   Answered               --challenge, not stale-->   Rejected  (entry dropped)
 *   StaleRetried           --any challenge-->          Rejected  (entry dropped)
 *   Answered | StaleRetried --accepted()-->            Accepted
 *   Accepted               --challenge-->              Answered
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
import {
  buildCredentials,
  CONTROL,
  selectDigestChallenge,
  type ChallengeRejection,
  type DigestChallenge,
} from './challenge';
import { DEFAULT_DIGEST_ALGORITHMS, DigestInputError, type DigestAlgorithms } from './digest';

export type ChallengeHeader = 'WWW-Authenticate' | 'Proxy-Authenticate';
export type CredentialsHeader = 'Authorization' | 'Proxy-Authorization';

/** Where the exchange with one realm stands (see the diagram in the module comment). */
export enum RealmAuthState {
  /** Credentials sent in reply to a challenge; outcome not yet known. */
  Answered = 'answered',
  /** Credentials sent in reply to a `stale=true` challenge; one more challenge means give up. */
  StaleRetried = 'stale-retried',
  /** The last credentials for this realm were accepted. */
  Accepted = 'accepted',
  /** Terminal: the realm's credentials were refused; the entry is dropped. */
  Rejected = 'rejected',
}

const LEGAL: Record<RealmAuthState, readonly RealmAuthState[]> = {
  [RealmAuthState.Answered]: [RealmAuthState.StaleRetried, RealmAuthState.Accepted, RealmAuthState.Rejected],
  [RealmAuthState.StaleRetried]: [RealmAuthState.Accepted, RealmAuthState.Rejected],
  [RealmAuthState.Accepted]: [RealmAuthState.Answered],
  [RealmAuthState.Rejected]: [],
};

/** A state edge not in the diagram was attempted: a bug in this module, never wire input. */
export class AuthStateError extends Error {
  override readonly name = 'AuthStateError';
}

export interface AuthorizeRequest {
  readonly method: string;
  /** The Request-URI exactly as it will appear on the request line. */
  readonly uri: string;
  readonly body: string;
}

export type AuthorizeResult =
  | { readonly ok: true; readonly headerName: CredentialsHeader; readonly value: AuthValue }
  | {
      readonly ok: false;
      readonly reason: 'no-supported-challenge';
      /** Why each offered challenge was unusable, in header order. */
      readonly rejected: readonly ChallengeRejection[];
    }
  | { readonly ok: false; readonly reason: 'credentials-rejected'; readonly realm: string };

export interface DigestAuthenticatorOptions {
  readonly username: string;
  readonly password: string;
  /** Fresh random hex of at least 8 bytes per call (the cnonce), e.g. `() => random.cnonce()`. */
  readonly random: () => string;
  /**
   * Hashes added to (or replacing) the built-in MD5 and SHA-256, e.g.
   * `{ 'SHA-512-256': sha512_256 }`; added ones are preferred over the built-in ones.
   */
  readonly algorithms?: DigestAlgorithms;
}

interface RealmEntry {
  readonly header: ChallengeHeader;
  challenge: DigestChallenge;
  /** Requests sent with `challenge.nonce` so far. */
  nc: number;
  cnonce: string;
  state: RealmAuthState;
}

const CNONCE = /^[0-9a-f]{16,}$/i;

export class DigestAuthenticator {
  readonly #username: string;
  readonly #password: string;
  readonly #random: () => string;
  readonly #algorithms: DigestAlgorithms;
  /** Keyed by `${header} ${realm}`. */
  readonly #realms = new Map<string, RealmEntry>();

  /** @throws {DigestInputError} when the user name is empty or holds a control character. */
  constructor(options: DigestAuthenticatorOptions) {
    // The user name goes into every Authorization header: a line break would split it.
    if (!options.username || CONTROL.test(options.username))
      throw new DigestInputError('empty or unsafe username');
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
    const selection = selectDigestChallenge(challenges, this.#algorithms);
    if (!selection.ok) return selection;
    const challenge = selection.challenge;
    const key = `${header} ${challenge.realm}`;
    let entry = this.#realms.get(key);

    if (entry === undefined) {
      entry = { header, challenge, nc: 0, cnonce: '', state: RealmAuthState.Answered };
      this.#realms.set(key, entry);
    } else if (entry.state === RealmAuthState.Accepted) {
      // The previous exchange for this realm is over: answer afresh.
      this.#transition(entry, RealmAuthState.Answered);
    } else if (entry.state === RealmAuthState.Answered && challenge.stale) {
      // RFC 7616 §3.3: "If stale is TRUE, the client may wish to simply retry the request with a
      // new encrypted response, without reprompting the user for a new username and password."
      // Once: a second challenge after that is a rejection.
      this.#transition(entry, RealmAuthState.StaleRetried);
    } else {
      this.#transition(entry, RealmAuthState.Rejected);
      // Forget the realm: a later, separate attempt starts over.
      this.#realms.delete(key);
      return { ok: false, reason: 'credentials-rejected', realm: challenge.realm };
    }

    // RFC 7616 §3.4: nc "is the hexadecimal count of the number of requests (including the
    // current request) that the client has sent with the nonce value in this request"; a new
    // nonce restarts it and draws a new cnonce.
    if (entry.cnonce === '' || challenge.nonce !== entry.challenge.nonce) {
      entry.nc = 0;
      entry.cnonce = this.#random();
      if (!CNONCE.test(entry.cnonce)) throw new DigestInputError('random() must give 16+ hex digits');
    }
    entry.challenge = challenge;
    entry.nc += 1;
    const value = buildCredentials({
      ...request,
      challenge,
      username: this.#username,
      password: this.#password,
      cnonce: entry.cnonce,
      nc: entry.nc,
    });
    // RFC 3261 §22.2 / §22.3: a WWW-Authenticate challenge is answered in Authorization, a
    // Proxy-Authenticate challenge in Proxy-Authorization.
    return {
      ok: true,
      headerName: header === 'WWW-Authenticate' ? 'Authorization' : 'Proxy-Authorization',
      value,
    };
  }

  /**
   * Reports that the last request carrying credentials for `header` got a final response other
   * than 401/407. Realms with nothing outstanding are left as they are.
   */
  accepted(header: ChallengeHeader): void {
    for (const entry of this.#realms.values()) {
      if (entry.header === header && entry.state !== RealmAuthState.Accepted) {
        this.#transition(entry, RealmAuthState.Accepted);
      }
    }
  }

  #transition(entry: RealmEntry, to: RealmAuthState): void {
    if (!LEGAL[entry.state].includes(to)) throw new AuthStateError(`${entry.state} -> ${to}`);
    entry.state = to;
  }
}
