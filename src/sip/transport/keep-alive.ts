/**
 * CRLF keep-alive over one WebSocket connection (RFC 5626 §3.5.1, §4.4.1), with an OPTIONS
 * fallback for servers that never answer CRLF pings.
 *
 * A ping is a double CRLF, the pong a single CRLF. Only a server that has proved it answers pings
 * can be declared dead by a missing pong: several deployed servers (Kamailio's websocket module
 * among them) silently swallow the ping, and treating their silence as death would drop every
 * connection after one interval. For those servers the UA core's OPTIONS ping decides instead.
 *
 * ```
 *  idle ──start──▶ waiting ──tick──▶ awaiting-pong ──pong / unproved timeout──▶ waiting
 *                     ▲  │                 │
 *                     │  └──tick──▶ awaiting-options ──ok──▶ waiting
 *                     │                    │
 *                     └──tick (no hook)    └──fail/timeout──▶ dead ◀── pong timeout (proved)
 *  any ──stop──▶ stopped          (dead and stopped are terminal)
 * ```
 */
import type { Clock, TimerHandle } from '../support/clock';
import type { Logger } from '../support/logger';
import { silentLogger } from '../support/logger';

export type KeepAliveState = 'idle' | 'waiting' | 'awaiting-pong' | 'awaiting-options' | 'dead' | 'stopped';

/**
 * What we know of the server: `probing` until the first ping is answered or not; `crlf` once a
 * pong has been seen; `options` when it never ponged and the OPTIONS hook takes over; `blind` when
 * it never ponged and no hook was given (pings still refresh NAT bindings, nothing is declared).
 */
export type KeepAliveMode = 'probing' | 'crlf' | 'options' | 'blind';

export type DeadReason = 'pong-timeout' | 'options-failed';

export interface KeepAliveOptions {
  readonly clock: Clock;
  /** Nominal ping interval. */
  readonly intervalMs: number;
  /** How long to wait for a pong before acting (RFC 5626 §4.4.1 uses 10 s). */
  readonly pongTimeoutMs: number;
  /** How long an OPTIONS ping may take; defaults to {@link KeepAliveOptions.pongTimeoutMs}. */
  readonly optionsTimeoutMs?: number;
  /** Sends a double CRLF on the connection. */
  readonly sendPing: () => void;
  /** Sends OPTIONS to the server; resolves true on any response. Rejection counts as false. */
  readonly optionsPing?: () => Promise<boolean>;
  /** Called once when the connection is judged dead; the keep-alive is then terminal. */
  readonly onDead: (reason: DeadReason) => void;
  /**
   * Uniform fraction in [0, 1) for the interval jitter. RFC 5626 §4.4.1 spreads keep-alives
   * between 80 % and 100 % of the nominal interval so clients do not synchronise; without a
   * source the interval is exact.
   */
  readonly jitter?: () => number;
  readonly logger?: Logger;
}

const EDGES: Record<KeepAliveState, readonly KeepAliveState[]> = {
  idle: ['waiting', 'stopped'],
  waiting: ['waiting', 'awaiting-pong', 'awaiting-options', 'stopped'],
  'awaiting-pong': ['waiting', 'dead', 'stopped'],
  'awaiting-options': ['waiting', 'dead', 'stopped'],
  dead: [],
  stopped: [],
};

export class KeepAliveStateError extends Error {
  override readonly name = 'KeepAliveStateError';
}

export class KeepAlive {
  readonly #options: KeepAliveOptions;
  readonly #log: Logger;
  #state: KeepAliveState = 'idle';
  #mode: KeepAliveMode = 'probing';
  #timer: TimerHandle | undefined;
  /** Incremented per OPTIONS ping so a late settlement of an old one is ignored. */
  #optionsGeneration = 0;

  constructor(options: KeepAliveOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError('keep-alive intervalMs must be > 0');
    if (!(options.pongTimeoutMs > 0)) throw new RangeError('keep-alive pongTimeoutMs must be > 0');
    this.#options = options;
    this.#log = (options.logger ?? silentLogger).child('keep-alive');
  }

  get state(): KeepAliveState {
    return this.#state;
  }

  get mode(): KeepAliveMode {
    return this.#mode;
  }

  /** Arms the first ping one interval from now. */
  start(): void {
    if (this.#state !== 'idle') throw new KeepAliveStateError(`start() in state ${this.#state}`);
    this.#transition('waiting');
    this.#arm();
  }

  /** Clears every timer; pending OPTIONS results are ignored. Idempotent. */
  stop(): void {
    if (this.#state === 'dead' || this.#state === 'stopped') return;
    this.#clearTimer();
    this.#optionsGeneration++;
    this.#transition('stopped');
  }

  /** A single CRLF arrived on the connection. */
  pongReceived(): void {
    if (this.#state === 'dead' || this.#state === 'stopped') return;
    if (this.#mode !== 'crlf') this.#log.debug('pongReceived() | server answers CRLF pings');
    this.#mode = 'crlf';
    if (this.#state === 'awaiting-pong') {
      this.#clearTimer();
      this.#transition('waiting');
      this.#arm();
    }
  }

  #transition(to: KeepAliveState): void {
    if (!EDGES[this.#state].includes(to)) {
      throw new KeepAliveStateError(`illegal keep-alive transition ${this.#state} → ${to}`);
    }
    this.#state = to;
  }

  #arm(): void {
    const { intervalMs, jitter } = this.#options;
    const delay = jitter ? Math.round(intervalMs * (0.8 + 0.2 * jitter())) : intervalMs;
    this.#timer = this.#options.clock.setTimeout(() => this.#tick(), delay);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    this.#timer = undefined;
    // The hook may be installed or removed while connected; follow it.
    if (this.#mode === 'blind' && this.#options.optionsPing) this.#mode = 'options';
    if (this.#mode === 'options' && !this.#options.optionsPing) this.#mode = 'blind';
    if (this.#mode === 'options') {
      this.#pingWithOptions();
      return;
    }
    this.#options.sendPing();
    if (this.#mode === 'blind') {
      this.#transition('waiting');
      this.#arm();
      return;
    }
    this.#transition('awaiting-pong');
    this.#timer = this.#options.clock.setTimeout(() => this.#pongTimedOut(), this.#options.pongTimeoutMs);
  }

  #pongTimedOut(): void {
    this.#timer = undefined;
    if (this.#mode === 'crlf') {
      // RFC 5626 §4.4.1: a ping left without a pong for the timeout means the flow has failed.
      this.#log.warn('pongTimedOut() | no pong from a server that answered before');
      this.#transition('dead');
      this.#options.onDead('pong-timeout');
      return;
    }
    // NOTE: deviates from RFC 5626 §4.4.1 on purpose: a server that has never answered a ping
    // probably does not implement the CRLF keep-alive at all, so its silence proves nothing.
    this.#mode = this.#options.optionsPing ? 'options' : 'blind';
    this.#log.info('pongTimedOut() | server never answered a CRLF ping', { fallback: this.#mode });
    this.#transition('waiting');
    this.#arm();
  }

  #pingWithOptions(): void {
    const optionsPing = this.#options.optionsPing!; // #tick() checked it
    this.#transition('awaiting-options');
    const generation = ++this.#optionsGeneration;
    const settle = (alive: boolean, why: string): void => {
      if (generation !== this.#optionsGeneration || this.#state !== 'awaiting-options') return;
      this.#optionsGeneration++;
      this.#clearTimer();
      if (alive) {
        this.#transition('waiting');
        this.#arm();
        return;
      }
      this.#log.warn('pingWithOptions() | OPTIONS keep-alive failed', { why });
      this.#transition('dead');
      this.#options.onDead('options-failed');
    };
    this.#timer = this.#options.clock.setTimeout(
      () => settle(false, 'timeout'),
      this.#options.optionsTimeoutMs ?? this.#options.pongTimeoutMs,
    );
    let pending: Promise<boolean>;
    try {
      pending = optionsPing();
    } catch {
      settle(false, 'hook threw');
      return;
    }
    pending.then(
      (answered) => settle(answered === true, 'no response'),
      () => settle(false, 'hook rejected'),
    );
  }
}
