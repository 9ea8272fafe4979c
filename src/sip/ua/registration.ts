/**
 * Registration, RFC 3261 §10.2, with RFC 5626 (outbound: `+sip.instance`, `reg-id`) and RFC 5627
 * (GRUU) on the binding.
 *
 * States and edges:
 * ```
 *   unregistered ──register()──► registering ──2xx──► registered ──refresh timer──► registering
 *        ▲                         │   ▲  │                 │
 *        │                         │   │  └─4xx-6xx/timeout─┼──► failed ──register()──► registering
 *        │                         │   └──423 (retry with Min-Expires)
 *        └──────2xx/any──── unregistering ◄──unregister()───┘
 * ```
 * `failed` with a transient cause (timeout, transport error, 5xx/480/503) schedules a new attempt
 * with back-off while registration is still wanted; `auth-failed` never retries by itself.
 */
import { getContact, getExpires, getMinExpires, getRetryAfter } from '../message/headers';
import { createRequest, type SipRequest, type SipResponse } from '../message/sip-message';
import type { NameAddr, SipUri } from '../message/types';
import { formatUri, uriEquals } from '../message/uri';
import { quoteString } from '../message/headers';
import type { Clock, TimerHandle } from '../support/clock';
import { Emitter } from '../support/emitter';
import { InvalidStateError } from '../support/errors';
import type { Logger } from '../support/logger';
import type { RequestOutcome } from './authenticated-request';

export type RegistrationFailureCause = 'auth-failed' | 'rejected' | 'timeout' | 'transport';

export type RegistrationStatus =
  | { readonly state: 'unregistered' }
  | { readonly state: 'registering' }
  | {
      readonly state: 'registered';
      readonly expires: number;
      readonly contact: string;
      readonly gruu?: string;
    }
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

export type RegistrationEvents = { status: [RegistrationStatus] };

/** What the registration needs from the user agent. */
export interface RegistrationContext {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Address of record (To and From). */
  readonly aor: SipUri;
  readonly displayName: string | undefined;
  /** Registrar Request-URI: the AOR's domain (§10.2: "The 'userinfo' and '@' components ... MUST NOT be present"). */
  readonly registrar: SipUri;
  /** Our Contact URI (random user at the transport's `.invalid` host, `;transport=ws`). */
  readonly contactUri: () => SipUri;
  /** `+sip.instance` value, `<urn:uuid:…>` (RFC 5626 §4.1). */
  readonly instanceId: string;
  readonly callId: string;
  readonly fromTag: () => string;
  readonly userAgent: string;
  /** Sends an out-of-dialog non-INVITE request, answering digest challenges. */
  readonly send: (request: SipRequest) => Promise<RequestOutcome>;
}

/** Seconds asked for when the caller does not say. */
export const DEFAULT_REGISTER_EXPIRES = 600;

export class Registration {
  readonly #ctx: RegistrationContext;
  readonly #events: Emitter<RegistrationEvents>;
  #status: RegistrationStatus = { state: 'unregistered' };
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
    this.#events = new Emitter((error) =>
      ctx.logger.error('status listener threw', { error: String(error) }),
    );
  }

  get status(): RegistrationStatus {
    return this.#status;
  }

  on<K extends keyof RegistrationEvents>(
    event: K,
    listener: (...args: RegistrationEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
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
    const outcome = await this.#ctx.send(this.#buildRegister(0));
    this.#noteCSeq(outcome);
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
    this.#events.removeAllListeners();
  }

  async #attempt(): Promise<RegistrationStatus> {
    this.#clearTimer();
    this.#transition({ state: 'registering' });
    let expires = this.#requestedExpires;
    let outcome = await this.#ctx.send(this.#buildRegister(expires));
    this.#noteCSeq(outcome);
    // §10.2.8: "the UA MAY retry the registration with an expiration interval that is ... greater
    // than or equal to the interval in the Min-Expires header field".
    if (outcome.kind === 'response' && outcome.response.status === 423) {
      const min = getMinExpires(outcome.response);
      if (min.ok && min.value !== undefined && min.value > expires) {
        expires = min.value;
        this.#requestedExpires = min.value;
        outcome = await this.#ctx.send(this.#buildRegister(expires));
        this.#noteCSeq(outcome);
      }
    }
    if (!this.#wanted) return this.#status;
    return this.#settle(outcome, expires);
  }

  #settle(outcome: RequestOutcome, asked: number): RegistrationStatus {
    switch (outcome.kind) {
      case 'timeout':
        return this.#fail('timeout', 'No response from the registrar', 408);
      case 'transport-error':
        return this.#fail('transport', 'The connection to the server failed', 503);
      case 'auth-failed':
        return this.#fail(
          'auth-failed',
          'Authentication failed: check the user name and password',
          outcome.response.status,
        );
      case 'response':
        break;
    }
    const response = outcome.response;
    if (response.status >= 200 && response.status < 300) {
      const binding = this.#ourBinding(response);
      const granted = this.#grantedExpires(response, binding, asked);
      const gruu = binding?.params['pub-gruu'] ?? undefined;
      this.#retryRound = 0;
      this.#transition({
        state: 'registered',
        expires: granted,
        contact: `<${formatUri(binding ? binding.uri : this.#ctx.contactUri())}>`,
        ...(gruu ? { gruu } : {}),
      });
      this.#scheduleRefresh(granted);
      return this.#status;
    }
    // RFC 3261 §21.4.4 and FreeSWITCH's habit (../shared/PBX-NOTES.md): a 403 after a challenge
    // means the credentials were refused.
    if (response.status === 403) {
      return this.#fail(
        'auth-failed',
        `Authentication failed: ${response.status} ${response.reason}`,
        response.status,
      );
    }
    return this.#fail('rejected', `${response.status} ${response.reason}`, response.status, response);
  }

  #fail(
    cause: RegistrationFailureCause,
    reason: string,
    status: number,
    response?: SipResponse,
  ): RegistrationStatus {
    this.#transition({ state: 'failed', cause, status, reason });
    const transient =
      cause === 'timeout' || cause === 'transport' || status === 480 || status === 503 || status >= 500;
    if (transient && this.#wanted) {
      const retryAfter = response ? getRetryAfter(response) : undefined;
      const hinted = retryAfter?.ok && retryAfter.value ? retryAfter.value.seconds : undefined;
      // Back-off 5 s, 10 s, 20 s … capped at 5 min, unless the server said when.
      const delay = hinted ?? Math.min(300, 5 * 2 ** this.#retryRound);
      this.#retryRound++;
      this.#timer = this.#ctx.clock.setTimeout(() => {
        this.#timer = undefined;
        void this.register();
      }, delay * 1000);
    }
    return this.#status;
  }

  /**
   * §10.2.4: "the UA MUST refresh the binding ... before the expiration interval has elapsed".
   * Refresh a little early, by up to half the interval (30 s at most), so a slow round trip never
   * lets the binding lapse.
   */
  #scheduleRefresh(grantedSeconds: number): void {
    if (grantedSeconds <= 0) return;
    const early = Math.min(30, grantedSeconds / 2);
    this.#timer = this.#ctx.clock.setTimeout(
      () => {
        this.#timer = undefined;
        void this.register();
      },
      (grantedSeconds - early) * 1000,
    );
  }

  /** The Contact in a 2xx that is ours: same instance id, else the same URI (§19.1.4). */
  #ourBinding(response: SipResponse): NameAddr | undefined {
    const contacts = getContact(response);
    if (!contacts.ok || contacts.value === undefined || contacts.value.star) return undefined;
    const ours = this.#ctx.contactUri();
    return (
      contacts.value.contacts.find((c) => c.params['+sip.instance'] === this.#ctx.instanceId) ??
      contacts.value.contacts.find((c) => uriEquals(c.uri, ours))
    );
  }

  /**
   * §10.2.4: the registrar's answer rules: "the expiration interval ... is indicated using the
   * expires parameter of the Contact header field" of our binding, else the Expires header field.
   * A refresh uses what the server granted, not what we asked.
   */
  #grantedExpires(response: SipResponse, binding: NameAddr | undefined, asked: number): number {
    const param = binding?.params['expires'];
    if (param !== undefined && param !== null && /^\d+$/.test(param)) return Number(param);
    const header = getExpires(response);
    if (header.ok && header.value !== undefined) return header.value;
    return asked;
  }

  #buildRegister(expires: number): SipRequest {
    const ctx = this.#ctx;
    this.#cseq++;
    const aor = formatUri(ctx.aor);
    const display = ctx.displayName ? `${quoteString(ctx.displayName)} ` : '';
    const contact = `<${formatUri(ctx.contactUri())}>;+sip.instance="${ctx.instanceId}";reg-id=1;expires=${expires}`;
    return createRequest('REGISTER', ctx.registrar, [
      ['Max-Forwards', '70'],
      ['To', `${display}<${aor}>`],
      ['From', `${display}<${aor}>;tag=${ctx.fromTag()}`],
      // §10.2.4: "A UA SHOULD use the same Call-ID for all registrations during a single boot cycle."
      ['Call-ID', ctx.callId],
      ['CSeq', `${this.#cseq} REGISTER`],
      ['Contact', contact],
      ['Expires', String(expires)],
      ['Supported', 'path, outbound, gruu'],
      ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, MESSAGE, NOTIFY, REFER, PRACK'],
      ['User-Agent', ctx.userAgent],
    ]);
  }

  /** Auth retries bump the CSeq: continue from the last one used (§10.2.4 "incremented by one"). */
  #noteCSeq(outcome: RequestOutcome): void {
    const text = outcome.request.headers.get('CSeq');
    const n = text ? Number.parseInt(text, 10) : NaN;
    if (Number.isFinite(n) && n > this.#cseq) this.#cseq = n;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#ctx.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #transition(next: RegistrationStatus): void {
    const from = this.#status.state;
    if (!EDGES[from].includes(next.state)) {
      throw new InvalidStateError(`registration: illegal transition ${from} → ${next.state}`);
    }
    this.#status = next;
    this.#ctx.logger.info(`status | ${from} → ${next.state}`);
    this.#events.emit('status', next);
  }
}
