/**
 * Registration, RFC 3261 §10.2. Extensions (RFC 5626 outbound, RFC 5627 GRUU) add Contact
 * parameters and option tags through the context.
 *
 * States and edges:
 * ```
 *   unregistered ──register()──► registering ──2xx──► registered ──refresh timer──► registering
 *        ▲                         │   ▲  │                 │
 *        │                         │   │  └─4xx-6xx/timeout─┼──► failed ──register()──► registering
 *        │                         │   └──423 (retry with Min-Expires)
 *        └──────2xx/any──── unregistering ◄──unregister()───┘
 * ```
 * `failed` with a transient cause (timeout, transport error, 408/480/5xx) schedules a new attempt
 * with back-off while registration is still wanted; `auth-failed` never retries by itself.
 */
import { getContact, getCSeq, getExpires, getMinExpires } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { NameAddr, SipUri } from '../message/types';
import { formatUri, uriEquals } from '../message/uri';
import type { Clock, TimerHandle } from '../support/clock';
import { InvalidStateError } from '../support/errors';
import type { RequestOutcome } from './authenticated-request';
import { buildRequest } from './request-builder';

export type RegistrationFailureCause = 'auth-failed' | 'rejected' | 'timeout' | 'transport';

export type RegistrationStatus =
  | { readonly state: 'unregistered' }
  | { readonly state: 'registering' }
  | { readonly state: 'registered'; readonly expires: number; readonly contact: string }
  | { readonly state: 'unregistering' }
  | {
      readonly state: 'failed';
      readonly cause: RegistrationFailureCause;
      readonly status?: number;
      readonly reason: string;
    };

export type RegistrationState = RegistrationStatus['state'];

const EDGES: Readonly<Record<RegistrationState, readonly RegistrationState[]>> = {
  unregistered: ['registering', 'unregistered'],
  registering: ['registered', 'failed', 'unregistering', 'unregistered'],
  registered: ['registering', 'unregistering', 'unregistered', 'failed'],
  unregistering: ['unregistered', 'registering'],
  failed: ['registering', 'unregistered', 'failed', 'unregistering'],
};

/** What the registration needs from the user agent. */
export interface RegistrationContext {
  readonly clock: Clock;
  /** The address of record with the display name: To and From (§10.2). */
  readonly identity: NameAddr;
  /** Registrar Request-URI: the AOR's domain (§10.2: "The 'userinfo' and '@' components ... MUST NOT be present"). */
  readonly registrar: SipUri;
  /** Our Contact URI (random user at the transport's `.invalid` host, `;transport=ws`). */
  readonly contactUri: () => SipUri;
  /** Parameters of our Contact beyond `expires` (RFC 5626 `+sip.instance`, `reg-id`), as written. */
  readonly contactParams: Readonly<Record<string, string>>;
  readonly callId: string;
  readonly fromTag: () => string;
  /** Further header fields of every REGISTER (Allow, Supported, User-Agent). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Sends an out-of-dialog non-INVITE request, answering digest challenges. */
  readonly send: (request: SipRequest) => Promise<RequestOutcome>;
  /** Every status change, after it happened (the one consumer: the user agent's safe emitter). */
  readonly onStatus: (status: RegistrationStatus) => void;
}

/** Seconds asked for when the caller does not say. */
export const DEFAULT_REGISTER_EXPIRES = 600;

export class Registration {
  readonly #ctx: RegistrationContext;
  #status: RegistrationStatus = { state: 'unregistered' };
  #binding: NameAddr | undefined;
  #requestedExpires: number;
  #cseq = 0;
  #wanted = false;
  #timer: TimerHandle | undefined;
  #retryRound = 0;
  /** The attempt in progress, so concurrent register() calls share it. */
  #inFlight: Promise<RegistrationStatus> | undefined;

  constructor(ctx: RegistrationContext, expires = DEFAULT_REGISTER_EXPIRES) {
    this.#ctx = ctx;
    this.#requestedExpires = expires;
  }

  get status(): RegistrationStatus {
    return this.#status;
  }

  /** Our Contact as the registrar returned it in the last 2xx; undefined while not registered. */
  get binding(): NameAddr | undefined {
    return this.#status.state === 'registered' ? this.#binding : undefined;
  }

  /** Registers (or refreshes) now; resolves with the resulting status, never rejects. */
  register(): Promise<RegistrationStatus> {
    this.#wanted = true;
    if (this.#inFlight) return this.#inFlight;
    this.#inFlight = this.#attempt().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  /** Removes our binding (Expires 0 on our Contact only, never `*`); resolves when done. */
  async unregister(): Promise<RegistrationStatus> {
    this.#wanted = false;
    this.#clearTimer();
    if (this.#inFlight) await this.#inFlight;
    if (this.#status.state !== 'registered') {
      this.#transition({ state: 'unregistered' });
      return this.#status;
    }
    this.#transition({ state: 'unregistering' });
    await this.#send(0);
    // Whatever the registrar answers, the binding expires by itself; we no longer use it.
    this.#transition({ state: 'unregistered' });
    return this.#status;
  }

  /** The transport came back after a loss: the binding rides the new flow (RFC 5626 §4.2.1). */
  onTransportReconnected(): void {
    if (!this.#wanted) return;
    this.#clearTimer();
    void this.register();
  }

  /** The transport is gone for good: stop timers, forget the binding locally. */
  dispose(): void {
    this.#wanted = false;
    this.#clearTimer();
    if (this.#status.state !== 'unregistered') this.#transition({ state: 'unregistered' });
  }

  async #attempt(): Promise<RegistrationStatus> {
    this.#clearTimer();
    this.#transition({ state: 'registering' });
    let expires = this.#requestedExpires;
    let outcome = await this.#send(expires);
    // §10.2.8: "the UA MAY retry the registration with an expiration interval that is ... greater
    // than or equal to the interval in the Min-Expires header field".
    if (outcome.kind === 'response' && outcome.response.status === 423) {
      const min = getMinExpires(outcome.response);
      if (min.ok && min.value !== undefined && min.value > expires) {
        expires = min.value;
        this.#requestedExpires = min.value;
        outcome = await this.#send(expires);
      }
    }
    if (!this.#wanted) return this.#status;
    return this.#settle(outcome, expires);
  }

  #settle(outcome: RequestOutcome, asked: number): RegistrationStatus {
    // §8.1.3.1: a timeout is "treated as a 408 (Request Timeout)", a transport failure "as a 503
    // (Service Unavailable)".
    if (outcome.kind === 'timeout') return this.#fail('timeout', 408, 'Request Timeout');
    if (outcome.kind === 'transport-error') return this.#fail('transport', 503, 'Service Unavailable');
    const response = outcome.response;
    const { status, reason } = response;
    if (outcome.kind === 'response' && status >= 200 && status < 300) {
      const binding = (this.#binding = this.#ourBinding(response));
      const granted = this.#grantedExpires(response, binding, asked);
      this.#retryRound = 0;
      this.#transition({
        state: 'registered',
        expires: granted,
        contact: `<${formatUri(binding ? binding.uri : this.#ctx.contactUri())}>`,
      });
      this.#scheduleRefresh(granted);
      return this.#status;
    }
    // RFC 3261 §21.4.4 and FreeSWITCH's habit (../shared/PBX-NOTES.md): a 403 after a challenge
    // means the credentials were refused.
    const refused = outcome.kind === 'auth-failed' || status === 403;
    return this.#fail(refused ? 'auth-failed' : 'rejected', status, reason, response);
  }

  /**
   * Enters `failed`. A transient failure (timeout, transport, 408, 480, 5xx) while registration is
   * still wanted schedules a new attempt; credentials refused or a definite rejection do not.
   */
  #fail(
    cause: RegistrationFailureCause,
    status: number,
    reason: string,
    response?: SipResponse,
  ): RegistrationStatus {
    this.#transition({ state: 'failed', cause, status, reason });
    const transient = cause !== 'auth-failed' && (status === 408 || status === 480 || status >= 500);
    if (transient && status < 600 && this.#wanted) {
      // §20.33: Retry-After = delta-seconds [ comment ] *( SEMI retry-param ); only the leading
      // delta-seconds matters here, so it is read without the full header parser.
      const hinted = /^\s*(\d+)/.exec(response?.headers.get('Retry-After') ?? '')?.[1];
      // Back-off 5 s, 10 s, 20 s … capped at 5 min, unless the server said when.
      this.#schedule(hinted ? Number(hinted) : Math.min(300, 5 * 2 ** this.#retryRound++));
    }
    return this.#status;
  }

  /**
   * §10.2.4: "the UA MUST refresh the binding ... before the expiration interval has elapsed".
   * Refresh a little early, by up to half the interval (30 s at most), so a slow round trip never
   * lets the binding lapse.
   */
  #scheduleRefresh(grantedSeconds: number): void {
    if (grantedSeconds > 0) this.#schedule(grantedSeconds - Math.min(30, grantedSeconds / 2));
  }

  /** A new register() after `seconds`. */
  #schedule(seconds: number): void {
    this.#timer = this.#ctx.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.register();
    }, seconds * 1000);
  }

  /** The Contact in a 2xx that is ours: the same URI (§19.1.4). */
  #ourBinding(response: SipResponse): NameAddr | undefined {
    const contacts = getContact(response);
    const ours = this.#ctx.contactUri();
    return contacts.ok && contacts.value && !contacts.value.star
      ? contacts.value.contacts.find((c) => uriEquals(c.uri, ours))
      : undefined;
  }

  /**
   * §10.2.4: the registrar's answer rules: "the expiration interval ... is indicated using the
   * expires parameter of the Contact header field" of our binding, else the Expires header field.
   * A refresh uses what the server granted, not what we asked.
   */
  #grantedExpires(response: SipResponse, binding: NameAddr | undefined, asked: number): number {
    const param = binding?.params['expires'];
    if (param && /^\d+$/.test(param)) return Number(param);
    const header = getExpires(response);
    return header.ok ? (header.value ?? asked) : asked;
  }

  #buildRegister(expires: number): SipRequest {
    const ctx = this.#ctx;
    let contact = `<${formatUri(ctx.contactUri())}>`;
    for (const [name, value] of Object.entries({ ...ctx.contactParams, expires }))
      contact += `;${name}=${value}`;
    return buildRequest('REGISTER', ctx.registrar, {
      to: ctx.identity,
      from: { ...ctx.identity, params: { tag: ctx.fromTag() } },
      // §10.2.4: "A UA SHOULD use the same Call-ID for all registrations during a single boot cycle."
      callId: ctx.callId,
      seq: ++this.#cseq,
      headers: [['Contact', contact], ['Expires', String(expires)], ...ctx.headers],
    });
  }

  /** Sends a REGISTER asking for `expires` seconds (0 removes the binding). */
  async #send(expires: number): Promise<RequestOutcome> {
    const outcome = await this.#ctx.send(this.#buildRegister(expires));
    // Auth retries bump the CSeq: continue from the last one used (§10.2.4 "incremented by one").
    const cseq = getCSeq(outcome.request);
    if (cseq.ok && cseq.value.seq > this.#cseq) this.#cseq = cseq.value.seq;
    return outcome;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#ctx.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #transition(next: RegistrationStatus): void {
    const from = this.#status.state;
    if (!EDGES[from].includes(next.state)) {
      throw new InvalidStateError(`registration ${from} → ${next.state}`);
    }
    this.#status = next;
    this.#ctx.onStatus(next);
  }
}
