/**
 * The UAC side of SIP Digest authentication for one set of credentials: RFC 3261 §22.2 (UAS
 * challenges), §22.3 (proxy challenges) and §22.4, with RFC 7616 / RFC 8760 algorithms.
 *
 * Per (challenge header, realm) it keeps the last challenge answered, its nonce count and cnonce,
 * and an explicit exchange state so that wrong credentials end in `credentials-rejected` instead
 * of an endless 401 loop:
 *
 * ```
 *   (none)                              --challenge-->              Answered
 *   Answered                            --challenge, stale=true-->  StaleRetried
 *   Answered                            --challenge, not stale-->   Rejected  (entry dropped)
 *   StaleRetried                        --any challenge-->          Rejected  (entry dropped)
 *   Answered | StaleRetried | Preemptive --accepted()-->            Accepted
 *   any state                           --preemptive()-->           Preemptive
 *   Accepted | Preemptive               --challenge-->              Answered
 * ```
 * A challenge after Preemptive is answered (a cached nonce may have expired without the server
 * saying stale); a challenge right after an answer is a rejection unless it says stale, and a
 * stale retry is made once.
 *
 * Callers must call {@link DigestAuthenticator.accepted} when a request that carried credentials
 * gets a final response other than 401/407: without it (or a preemptive() in between) the next
 * challenge for that realm is taken as a rejection of the last answer. One challenged exchange per
 * realm at a time is assumed.
 *
 * The password lives in a private field only; `toJSON()`, `toString()` and Node's inspect omit
 * it, and no password-derived value (H(A1)) is kept.
 */
import type { AuthValue } from '../message/types';
import {
  buildCredentials,
  selectDigestChallenge,
  type ChallengeRejection,
  type DigestChallenge,
} from './challenge';
import { DigestInputError } from './digest';

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
  /** Credentials sent from the cached challenge, without being asked. */
  Preemptive = 'preemptive',
  /** Terminal: the realm's credentials were refused; the entry is dropped. */
  Rejected = 'rejected',
}

const LEGAL: Record<RealmAuthState, readonly RealmAuthState[]> = {
  [RealmAuthState.Answered]: [
    RealmAuthState.StaleRetried,
    RealmAuthState.Accepted,
    RealmAuthState.Rejected,
    RealmAuthState.Preemptive,
  ],
  [RealmAuthState.StaleRetried]: [
    RealmAuthState.Accepted,
    RealmAuthState.Rejected,
    RealmAuthState.Preemptive,
  ],
  [RealmAuthState.Accepted]: [RealmAuthState.Answered, RealmAuthState.Preemptive],
  [RealmAuthState.Preemptive]: [RealmAuthState.Answered, RealmAuthState.Accepted],
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

export type PreemptiveResult =
  | { readonly ok: true; readonly headerName: CredentialsHeader; readonly value: AuthValue }
  | { readonly ok: false; readonly reason: 'no-cached-challenge' };

export interface DigestAuthenticatorOptions {
  readonly username: string;
  readonly password: string;
  /** Fresh random hex of at least 8 bytes per call (the cnonce), e.g. `() => random.cnonce()`. */
  readonly random: () => string;
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

function credentialsHeaderFor(header: ChallengeHeader): CredentialsHeader {
  // RFC 3261 §22.2 / §22.3: a WWW-Authenticate challenge is answered in Authorization, a
  // Proxy-Authenticate challenge in Proxy-Authorization.
  return header === 'WWW-Authenticate' ? 'Authorization' : 'Proxy-Authorization';
}

export class DigestAuthenticator {
  readonly #username: string;
  readonly #password: string;
  readonly #random: () => string;
  /** Keyed by `${header} ${realm}`; insertion order doubles as recency for preemptive use. */
  readonly #realms = new Map<string, RealmEntry>();

  /** @throws {DigestInputError} when an option has the wrong type or the username is empty. */
  constructor(options: DigestAuthenticatorOptions) {
    if (typeof options.username !== 'string' || options.username === '') {
      throw new DigestInputError('username must be a non-empty string');
    }
    if (typeof options.password !== 'string') throw new DigestInputError('password must be a string');
    if (typeof options.random !== 'function') throw new DigestInputError('random must be a function');
    this.#username = options.username;
    this.#password = options.password;
    this.#random = options.random;
  }

  get username(): string {
    return this.#username;
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
    const selection = selectDigestChallenge(challenges);
    if (!selection.ok) return selection;
    const challenge = selection.challenge;
    const key = `${header} ${challenge.realm}`;
    const entry = this.#realms.get(key);

    if (entry === undefined) {
      const fresh: RealmEntry = { header, challenge, nc: 0, cnonce: '', state: RealmAuthState.Answered };
      this.#adopt(fresh, challenge);
      this.#touch(key, fresh);
      return this.#answer(fresh, request);
    }

    switch (entry.state) {
      case RealmAuthState.Answered:
        if (challenge.stale) {
          // RFC 7616 §3.3: "If stale is TRUE, the client may wish to simply retry the request
          // with a new encrypted response, without reprompting the user for a new username and
          // password." Once: a second challenge after that is a rejection.
          this.#transition(entry, RealmAuthState.StaleRetried);
          this.#adopt(entry, challenge);
          return this.#answer(entry, request);
        }
        return this.#reject(key, entry);
      case RealmAuthState.StaleRetried:
        return this.#reject(key, entry);
      case RealmAuthState.Accepted:
      case RealmAuthState.Preemptive:
        // The previous exchange for this realm is over (or was a guess with a cached nonce that
        // may simply have expired, whether or not the server says stale): answer afresh.
        this.#transition(entry, RealmAuthState.Answered);
        this.#adopt(entry, challenge);
        this.#touch(key, entry);
        return this.#answer(entry, request);
      case RealmAuthState.Rejected:
        throw new AuthStateError('a rejected realm entry was kept');
    }
  }

  /**
   * Credentials for a new request from the challenge cached for `realm` (default: the realm most
   * recently challenged through `header`), so a REGISTER refresh does not cost a 401 round trip
   * (RFC 3261 §22.3 lets a UA reuse credentials for a realm; RFC 7616 §3.4 counts requests per
   * nonce in nc). Returns `no-cached-challenge` until a challenge of that kind was answered.
   */
  preemptive(request: AuthorizeRequest, header: ChallengeHeader, realm?: string): PreemptiveResult {
    let found: [string, RealmEntry] | undefined;
    for (const [key, entry] of this.#realms) {
      if (entry.header === header && (realm === undefined || entry.challenge.realm === realm))
        found = [key, entry];
    }
    if (found === undefined) return { ok: false, reason: 'no-cached-challenge' };
    const [key, entry] = found;
    // Allowed even while an answer is outstanding: a later challenge is then answered once more
    // rather than misread as a rejection of this new request (at worst one extra round trip).
    if (entry.state !== RealmAuthState.Preemptive) this.#transition(entry, RealmAuthState.Preemptive);
    this.#touch(key, entry);
    return this.#answer(entry, request);
  }

  /**
   * Reports that the last request carrying credentials for `header` (optionally one `realm`) got
   * a final response other than 401/407. Realms with nothing outstanding are left as they are.
   */
  accepted(header: ChallengeHeader, realm?: string): void {
    for (const entry of this.#realms.values()) {
      if (entry.header !== header || (realm !== undefined && entry.challenge.realm !== realm)) continue;
      if (entry.state === RealmAuthState.Accepted) continue;
      this.#transition(entry, RealmAuthState.Accepted);
    }
  }

  /** Forgets every cached challenge and nonce count (e.g. after the transport reconnects). */
  reset(): void {
    this.#realms.clear();
  }

  /** Safe to log: the user name and per-realm state, never the password. */
  toJSON(): {
    username: string;
    realms: Array<{
      header: ChallengeHeader;
      realm: string;
      algorithm: string;
      state: RealmAuthState;
      nc: number;
    }>;
  } {
    return {
      username: this.#username,
      realms: [...this.#realms.values()].map((e) => ({
        header: e.header,
        realm: e.challenge.realm,
        algorithm: e.challenge.algorithm,
        state: e.state,
        nc: e.nc,
      })),
    };
  }

  toString(): string {
    return `DigestAuthenticator(${this.#username})`;
  }

  /** Node's `util.inspect` (console.log) shows the same safe view as `toJSON()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): unknown {
    return this.toJSON();
  }

  #answer(entry: RealmEntry, request: AuthorizeRequest): AuthorizeResult & { ok: true } {
    const qop = entry.challenge.qop;
    entry.nc += 1;
    const value = buildCredentials({
      challenge: entry.challenge,
      username: this.#username,
      password: this.#password,
      method: request.method,
      uri: request.uri,
      body: request.body,
      // RFC 2617 §3.2.2: cnonce and nc "MUST NOT be specified if the server did not send a qop
      // directive"; -sess without qop never gets here (parseDigestChallenge refuses it).
      ...(qop !== undefined ? { cnonce: entry.cnonce, nc: entry.nc } : {}),
    });
    return { ok: true, headerName: credentialsHeaderFor(entry.header), value };
  }

  /** Takes a new challenge into `entry`; a new nonce restarts the count and draws a new cnonce. */
  #adopt(entry: RealmEntry, challenge: DigestChallenge): void {
    // RFC 7616 §3.4: nc "is the hexadecimal count of the number of requests (including the
    // current request) that the client has sent with the nonce value in this request".
    if (entry.cnonce === '' || challenge.nonce !== entry.challenge.nonce) {
      entry.nc = 0;
      entry.cnonce = this.#freshCnonce();
    }
    entry.challenge = challenge;
  }

  #freshCnonce(): string {
    const cnonce = this.#random();
    if (typeof cnonce !== 'string' || !CNONCE.test(cnonce)) {
      throw new DigestInputError('random() must return hex of at least 8 bytes for a cnonce');
    }
    return cnonce;
  }

  #reject(key: string, entry: RealmEntry): AuthorizeResult {
    this.#transition(entry, RealmAuthState.Rejected);
    // Forget the realm: its cached nonce must not be reused preemptively with bad credentials.
    this.#realms.delete(key);
    return { ok: false, reason: 'credentials-rejected', realm: entry.challenge.realm };
  }

  /** Moves `key` to the end of the map so that preemptive() picks the most recently used realm. */
  #touch(key: string, entry: RealmEntry): void {
    this.#realms.delete(key);
    this.#realms.set(key, entry);
  }

  #transition(entry: RealmEntry, to: RealmAuthState): void {
    if (!LEGAL[entry.state].includes(to)) {
      throw new AuthStateError(
        `illegal digest state change ${entry.state} -> ${to} for ${entry.challenge.realm}`,
      );
    }
    entry.state = to;
  }
}
