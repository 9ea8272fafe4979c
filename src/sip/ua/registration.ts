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
import type { SipResponse } from '../message/sip-message';
import type { NameAddr, SipUri } from '../message/types';
import { formatUri, uriEquals } from '../message/uri';
import type { Clock, TimerHandle } from '../support/clock';
import type { RequestOutcome } from './authenticated-request';
import { buildRequest } from './request-builder';
import type { UserAgentContext } from './ua-extension';

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

/** What the registration needs from the user agent, beyond what its extensions see. */
export interface RegistrationContext extends UserAgentContext {
  readonly clock: Clock;
  /** Our Contact URI (random user at the transport's `.invalid` host, `;transport=ws`). */
  readonly contact: SipUri;
  /** Parameters of our Contact beyond `expires` (RFC 5626 `+sip.instance`, `reg-id`), as written. */
  readonly contactParams: Readonly<Record<string, string>>;
  /** Further header fields of every REGISTER (Allow, Supported, User-Agent). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Every status change, after it happened (the one consumer: the user agent's safe emitter). */
  readonly onStatus: (status: RegistrationStatus) => void;
}

/**
 * The registration of one Contact (§10.2). The edges of the diagram above are the only status
 * changes its methods make: `register()` enters `registering` and its outcome `registered` or
 * `failed`; `unregister()` passes through `unregistering` only from `registered`; `dispose()` ends in
 * `unregistered`. With 17 of the 25 edges legal, an edge table asserted little; the tests hold it.
 */
export class Registration {
  readonly #ctx: RegistrationContext;
  /** §10.2.4: "A UA SHOULD use the same Call-ID for all registrations during a single boot cycle." */
  readonly #callId: string;
  #status: RegistrationStatus = { state: 'unregistered' };
  #binding: NameAddr | undefined;
  #expires: number;
  #cseq = 0;
  #wanted = false;
  #timer: TimerHandle | undefined;
  #retryRound = 0;
  /** The attempt in progress, so concurrent register() calls share it. */
  #inFlight: Promise<RegistrationStatus> | undefined;

  /** @param expires seconds asked for in REGISTER; the server's grant is what counts. */
  constructor(ctx: RegistrationContext, expires = 600) {
    this.#ctx = ctx;
    this.#expires = expires;
    this.#callId = ctx.random.callId();
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
    return (this.#inFlight ??= this.#attempt().finally(() => (this.#inFlight = undefined)));
  }

  /** Removes our binding (Expires 0 on our Contact only, never `*`); resolves when done. */
  async unregister(): Promise<RegistrationStatus> {
    this.#wanted = false;
    this.#clearTimer();
    if (this.#inFlight) await this.#inFlight;
    if (this.#status.state === 'registered') {
      this.#set({ state: 'unregistering' });
      await this.#send(0);
    }
    // Whatever the registrar answers, the binding expires by itself; we no longer use it.
    this.#set({ state: 'unregistered' });
    return this.#status;
  }

  /**
   * The transport (re)connected: while registration is wanted, the binding moves to the new flow
   * (RFC 5626 §4.2.1) at once rather than at the next refresh or retry.
   */
  onTransportConnected(): void {
    if (this.#wanted) void this.register();
  }

  /** The transport is gone for good: stop timers, forget the binding locally. */
  dispose(): void {
    this.#wanted = false;
    this.#clearTimer();
    if (this.#status.state !== 'unregistered') this.#set({ state: 'unregistered' });
  }

  async #attempt(): Promise<RegistrationStatus> {
    this.#clearTimer();
    this.#set({ state: 'registering' });
    const asked = this.#expires;
    let outcome = await this.#send(asked);
    // §10.2.8: "the UA MAY retry the registration with an expiration interval that is ... greater
    // than or equal to the interval in the Min-Expires header field".
    if (outcome.kind === 'response' && outcome.response.status === 423) {
      const min = getMinExpires(outcome.response);
      if (min.ok && min.value !== undefined && min.value > asked)
        outcome = await this.#send((this.#expires = min.value));
    }
    return this.#wanted ? this.#settle(outcome) : this.#status;
  }

  #settle(outcome: RequestOutcome): RegistrationStatus {
    // §8.1.3.1: a timeout is "treated as a 408 (Request Timeout)", a transport failure "as a 503
    // (Service Unavailable)".
    if (outcome.kind === 'timeout') return this.#fail('timeout', 408, 'Request Timeout');
    if (outcome.kind === 'transport-error') return this.#fail('transport', 503, 'Service Unavailable');
    const { response } = outcome;
    const { status, reason } = response;
    if (outcome.kind === 'response' && status < 300) {
      // Our Contact in the 2xx: the same URI (§19.1.4).
      const contacts = getContact(response);
      const binding = (this.#binding =
        contacts.ok && contacts.value && !contacts.value.star
          ? contacts.value.contacts.find((c) => uriEquals(c.uri, this.#ctx.contact))
          : undefined);
      // §10.2.4: "the expiration interval ... is indicated using the expires parameter of the
      // Contact header field" of our binding, else the Expires header field. A refresh uses what
      // the server granted, not what we asked.
      const param = binding?.params['expires'];
      const header = getExpires(response);
      const granted =
        param && /^\d+$/.test(param)
          ? Number(param)
          : header.ok
            ? (header.value ?? this.#expires)
            : this.#expires;
      this.#retryRound = 0;
      this.#set({
        state: 'registered',
        expires: granted,
        contact: `<${formatUri(binding?.uri ?? this.#ctx.contact)}>`,
      });
      // §10.2.4: "the UA MUST refresh the binding ... before the expiration interval has elapsed".
      // Refresh a little early, by up to half the interval (30 s at most), so a slow round trip
      // never lets the binding lapse.
      if (granted > 0) this.#schedule(granted - Math.min(30, granted / 2));
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
    this.#set({ state: 'failed', cause, status, reason });
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

  /** A new register() after `seconds`. */
  #schedule(seconds: number): void {
    this.#timer = this.#ctx.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.register();
    }, seconds * 1000);
  }

  /** Sends a REGISTER asking for `expires` seconds (0 removes the binding). */
  async #send(expires: number): Promise<RequestOutcome> {
    const ctx = this.#ctx;
    let contact = `<${formatUri(ctx.contact)}>`;
    for (const [name, value] of Object.entries({ ...ctx.contactParams, expires }))
      contact += `;${name}=${value}`;
    const outcome = await ctx.send(
      buildRequest('REGISTER', ctx.domain, {
        to: ctx.identity,
        from: { ...ctx.identity, params: { tag: ctx.random.tag() } },
        callId: this.#callId,
        seq: ++this.#cseq,
        headers: [['Contact', contact], ['Expires', String(expires)], ...ctx.headers],
      }),
    );
    // Auth retries bump the CSeq: continue from the last one used (§10.2.4 "incremented by one").
    const cseq = getCSeq(outcome.request);
    if (cseq.ok && cseq.value.seq > this.#cseq) this.#cseq = cseq.value.seq;
    return outcome;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#ctx.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #set(next: RegistrationStatus): void {
    this.#status = next;
    this.#ctx.onStatus(next);
  }
}
