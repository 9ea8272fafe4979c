/**
 * SIP over WebSocket (RFC 7118) as a {@link Transport}: the `sip` subprotocol, server failover,
 * CRLF keep-alive with dead-server detection (RFC 5626 §4.4.1) and reconnection with jittered
 * back-off.
 *
 * ```
 *  disconnected ──connect()──▶ connecting ──open + "sip" agreed──▶ connected
 *        ▲                      │   ▲  │                              │  │
 *        │  attempts exhausted  │   │  └──disconnect()──┐             │  │
 *        ├──────────────────────┘   └──── lost / dead ──┼─────────────┘  │
 *        │                                              ▼                │
 *        └────────── socket closed / close timeout ── closing ◀──disconnect()
 * ```
 * `connecting → disconnected` is also taken by `disconnect()` while no socket is open (waiting
 * for a back-off timer). The edges are asserted by transport-state.ts.
 *
 * Servers are tried in the configured order. Within one pass through the list a failed server
 * fails over to the next one at once; when the whole list has failed, the next pass starts after a
 * "full jitter" delay, uniform between zero and a bound that grows per pass up to a cap. A
 * connection lost after it was established starts again from the first (preferred) server after
 * such a delay. The jitter matters more than the growth: when an edge proxy restarts, every
 * browser it served loses its socket at the same instant, and identical retry schedules would hit
 * the restarted server as one wave.
 *
 * Each state runs at most one timer (connect timeout, back-off, keep-alive, close timeout), so
 * one timer slot serves them all and leaving a state cancels whatever it was waiting for.
 *
 * Callbacks registered with {@link WebSocketTransport.on} run synchronously inside socket events;
 * they may call any method, but should not rely on the order of their own re-entrant events.
 */
import type { Clock, TimerHandle } from '../support/clock';
import { systemClock } from '../support/clock';
import { Emitter } from '../support/emitter';
import type { Logger } from '../support/logger';
import { silentLogger } from '../support/logger';
import type { Random } from '../support/random';
import { defaultRandom } from '../support/random';
import { classifyFrame, CRLF_PING, CRLF_PONG } from './framing';
import type { Transport, TransportError, TransportEvents, TransportState } from './transport';
import { assertTransportEdge } from './transport-state';
import { SOCKET_OPEN } from './websocket-like';
import type { SocketCloseEventLike, WebSocketConstructor, WebSocketLike } from './websocket-like';

/** RFC 7118 §4.1: the subprotocol name registered for SIP. */
export const SIP_SUBPROTOCOL = 'sip';

/** Close code for every close we initiate; the only application code browsers accept besides 3000–4999. */
const NORMAL_CLOSURE = 1000;

/** Reconnection back-off between passes through the server list. */
export interface BackoffPolicy {
  /** Upper bound of the first delay. */
  readonly baseMs: number;
  /** Growth of the bound per failed pass. */
  readonly factor: number;
  /** No single delay exceeds this. */
  readonly capMs: number;
}

export interface WebSocketTransportOptions {
  /** `ws:`/`wss:` URLs in order of preference; later ones are failover servers. */
  readonly servers: readonly string[];
  /** The socket class: the browser's `WebSocket` or the `ws` package's. */
  readonly WebSocket: WebSocketConstructor;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  /** A socket not open by then is closed and counts as a failed attempt. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Nominal CRLF keep-alive interval; 0 disables keep-alive. Default 25000. */
  readonly keepAliveIntervalMs?: number;
  /** Wait for a pong, or for the OPTIONS fallback (RFC 5626 §4.4.1 uses 10 s). Default 10000. */
  readonly pongTimeoutMs?: number;
  /**
   * The UA core's OPTIONS ping: resolves true on any response to an OPTIONS sent to the server.
   * The keep-alive uses it instead of CRLF pings for a server that never answers them.
   */
  readonly optionsPing?: () => Promise<boolean>;
  /** Back-off between passes through the server list. Default base 1 s, factor 2, cap 30 s. */
  readonly backoff?: Partial<BackoffPolicy>;
  /** Consecutive failed attempts (one socket each) before giving up. Default Infinity. */
  readonly maxAttempts?: number;
  /** How long `disconnect()` waits for the closing handshake before dropping the socket. Default 2000. */
  readonly closeTimeoutMs?: number;
}

/** Misconfiguration detected by the constructor. */
export class TransportConfigError extends Error {
  override readonly name = 'TransportConfigError';
}

/** Rejection of {@link WebSocketTransport.connect}. */
export class TransportConnectError extends Error {
  override readonly name = 'TransportConnectError';
  constructor(
    readonly reason: 'no-server' | 'disconnected',
    message: string,
  ) {
    super(message);
  }
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

/**
 * RFC 7118 WebSocket transport. Construct, subscribe, then {@link WebSocketTransport.connect}.
 * @throws TransportConfigError when `servers` is empty or holds a non-ws/wss URL, or a timing
 *   option is out of range (timeouts and `maxAttempts` positive, back-off factor at least 1).
 */
export class WebSocketTransport implements Transport {
  readonly viaHost: string;
  readonly #servers: readonly string[];
  readonly #Socket: WebSocketConstructor;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #log: Logger;
  readonly #connectTimeoutMs: number;
  readonly #keepAliveIntervalMs: number;
  readonly #pongTimeoutMs: number;
  readonly #closeTimeoutMs: number;
  readonly #maxAttempts: number;
  readonly #backoff: BackoffPolicy;
  readonly #optionsPing: (() => Promise<boolean>) | undefined;
  readonly #events: Emitter<TransportEvents>;

  #state: TransportState = 'disconnected';
  #socket: WebSocketLike | undefined;
  /** Server of the current (or last) socket; cleared once disconnected. */
  #server: string | undefined;
  #serverIndex = 0;
  /** Consecutive failed attempts since the last established connection. */
  #failures = 0;
  /** The current back-off bound. */
  #bound = 0;
  /** The one timer of the current state. */
  #timer: TimerHandle | undefined;
  #connecting: Deferred | undefined;
  #closing: Deferred | undefined;
  /** Keep-alive: whether the server answers CRLF pings (unknown until the first ping). */
  #ponging: boolean | undefined;
  /** Keep-alive: what the ping in flight waits for, a pong or one OPTIONS ping (by identity). */
  #awaiting: 'pong' | object | undefined;

  constructor(options: WebSocketTransportOptions) {
    const { servers } = options;
    this.#servers = [...servers];
    this.#Socket = options.WebSocket;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? defaultRandom;
    this.#log = (options.logger ?? silentLogger).child('transport');
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.#keepAliveIntervalMs = options.keepAliveIntervalMs ?? 25_000;
    this.#pongTimeoutMs = options.pongTimeoutMs ?? 10_000;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 2_000;
    this.#maxAttempts = options.maxAttempts ?? Infinity;
    const backoff = (this.#backoff = { baseMs: 1_000, factor: 2, capMs: 30_000, ...options.backoff });
    this.#optionsPing = options.optionsPing;
    if (!(
      servers.length &&
      servers.every((url) => /^wss?:\/\/[^/?#\s]/i.test(url)) &&
      typeof this.#Socket === 'function' &&
      this.#connectTimeoutMs > 0 &&
      this.#pongTimeoutMs > 0 &&
      this.#closeTimeoutMs > 0 &&
      this.#maxAttempts > 0 &&
      this.#keepAliveIntervalMs >= 0 &&
      backoff.baseMs >= 0 &&
      backoff.capMs >= 0 &&
      backoff.factor >= 1
    )) {
      throw new TransportConfigError('servers must be ws:/wss: URLs; timeouts > 0; back-off factor ≥ 1');
    }
    this.#events = new Emitter<TransportEvents>((error, event) =>
      this.#log.error(`emit() | ${String(event)} listener threw`, { error: String(error) }),
    );
    // RFC 7118 §5.2: the client has no reachable host, so Via and Contact carry a random
    // `.invalid` domain name; it stays the same for the transport's lifetime so dialogs survive
    // reconnections.
    this.viaHost = `${this.#random.hex(6)}.invalid`;
  }

  get state(): TransportState {
    return this.#state;
  }

  /** From the scheme of the server in use (or else the preferred one). */
  get viaTransport(): 'WS' | 'WSS' {
    return /^wss:/i.test(this.#server ?? this.#servers[0]!) ? 'WSS' : 'WS';
  }

  on<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Connects, trying the servers in order with back-off between passes.
   * Resolves at once when connected; joins the attempt in progress when connecting; waits for a
   * pending `disconnect()` to finish first when closing.
   * Rejects with {@link TransportConnectError} when `maxAttempts` consecutive attempts failed
   * (`no-server`) or `disconnect()` was called before a connection was established (`disconnected`).
   */
  async connect(): Promise<void> {
    if (this.#state === 'closing') await this.#closing?.promise;
    if (this.#state === 'connected') return;
    const waiter = (this.#connecting ??= deferred());
    if (this.#state === 'disconnected') {
      this.#restart();
      this.#transition('connecting');
      if (this.#stillIn('connecting')) this.#attempt();
    }
    return waiter.promise;
  }

  /**
   * Clean shutdown: cancels reconnection and every timer, closes the socket with code 1000 and
   * resolves once it is closed (or after `closeTimeoutMs`). Never rejects.
   */
  disconnect(): Promise<void> {
    if (this.#state === 'disconnected') return Promise.resolve();
    if (this.#closing) return this.#closing.promise;
    this.#clearTimer();
    this.#settle(new TransportConnectError('disconnected', 'disconnected before connecting'));
    const socket = this.#socket;
    if (!socket) {
      this.#server = undefined;
      this.#transition('disconnected');
      return Promise.resolve();
    }
    const closing = (this.#closing = deferred());
    this.#transition('closing');
    this.#setTimer(this.#closeTimeoutMs, () => this.#finishClosing());
    try {
      socket.close(NORMAL_CLOSURE);
    } catch {
      this.#finishClosing();
    }
    return closing.promise;
  }

  /**
   * Sends one SIP message in one text frame (RFC 7118 §5: one SIP message per WebSocket message).
   * @returns false when not connected (nothing emitted) or when the socket refused the data
   *   (a `send-failed` error is emitted).
   */
  send(text: string): boolean {
    const socket = this.#socket;
    if (this.#state !== 'connected' || socket?.readyState !== SOCKET_OPEN) return false;
    try {
      socket.send(text);
      return true;
    } catch (error) {
      this.#emitError('send-failed', String(error));
      return false;
    }
  }

  // ── state machine ────────────────────────────────────────────────────────────────────────────

  #transition(to: TransportState): void {
    assertTransportEdge(this.#state, to);
    this.#state = to;
    this.#log.debug(`transition() | ${to}`, { server: this.#server });
    this.#events.emit('state', to, to === 'connected' ? this.#server : undefined);
  }

  /**
   * State re-check after emitting: listeners run synchronously and may have called
   * `disconnect()`. A method, not a comparison, so TypeScript does not narrow it away.
   */
  #stillIn(state: TransportState): boolean {
    return this.#state === state;
  }

  /** Whether `socket` is the open connection (events of abandoned sockets are ignored). */
  #live(socket: WebSocketLike): boolean {
    return socket === this.#socket && this.#state === 'connected';
  }

  #emitError(code: TransportError['code'], message: string): void {
    const error: TransportError = { code, message, server: this.#server };
    this.#log.warn(`error() | ${code}: ${message}`, { server: this.#server });
    this.#events.emit('error', error);
  }

  /** Settles the pending `connect()`, if any. */
  #settle(error?: Error): void {
    const waiter = this.#connecting;
    this.#connecting = undefined;
    if (error) waiter?.reject(error);
    else waiter?.resolve();
  }

  #setTimer(ms: number, fire: () => void): void {
    this.#clearTimer();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      fire();
    }, ms);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** A uniform fraction in [0, 1) drawn from the injected random source (32 bits). */
  #fraction(): number {
    return parseInt(this.#random.hex(4), 16) / 2 ** 32;
  }

  // ── connection attempts ──────────────────────────────────────────────────────────────────────

  /** Back to the first server, the first back-off bound and no failures. */
  #restart(): void {
    this.#serverIndex = 0;
    this.#failures = 0;
    this.#bound = this.#backoff.baseMs;
  }

  #attempt(): void {
    const server = (this.#server = this.#servers[this.#serverIndex]!);
    let socket: WebSocketLike;
    try {
      // RFC 7118 §4.1: the client asks for the "sip" subprotocol in the opening handshake.
      socket = new this.#Socket(server, SIP_SUBPROTOCOL);
    } catch (error) {
      this.#attemptFailed('connect-failed', String(error));
      return;
    }
    this.#socket = socket;
    try {
      // Binary frames as bytes framing.ts can decode (the browser's default, Blob, reads async).
      socket.binaryType = 'arraybuffer';
    } catch {
      // Some socket shims make binaryType read-only; framing.ts copes with byte views too.
    }
    socket.onopen = () => this.#onOpen(socket);
    socket.onclose = (event: SocketCloseEventLike) => this.#onClose(socket, event);
    // An error is always followed by a close event, which carries the decision; the handler must
    // exist anyway, as `ws` throws on an 'error' event nobody listens to.
    socket.onerror = () => undefined;
    socket.onmessage = (event) => this.#onFrame(socket, event.data);
    this.#setTimer(this.#connectTimeoutMs, () => {
      this.#dropSocket(socket);
      this.#attemptFailed('connect-timeout', `not open within ${this.#connectTimeoutMs} ms`);
    });
  }

  #onOpen(socket: WebSocketLike): void {
    if (socket !== this.#socket || this.#state !== 'connecting') return;
    // RFC 7118 §4.1: a handshake response without "sip" in Sec-WebSocket-Protocol means the server
    // does not speak the SIP subprotocol, so the connection is not usable for SIP.
    if (socket.protocol !== SIP_SUBPROTOCOL) {
      this.#dropSocket(socket);
      this.#attemptFailed('connect-failed', `subprotocol "${socket.protocol}" instead of sip`);
      return;
    }
    this.#restart();
    this.#clearTimer();
    this.#ponging = undefined;
    this.#nextPing(socket);
    this.#transition('connected');
    if (this.#stillIn('connected')) this.#settle();
  }

  #onClose(socket: WebSocketLike, event: SocketCloseEventLike): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    const detail = `closed with ${event.code} ${event.reason}`;
    if (this.#state === 'connecting') {
      this.#clearTimer();
      this.#attemptFailed('connect-failed', detail);
    } else if (this.#state === 'connected') {
      this.#connectionLost(detail);
    } else if (this.#state === 'closing') {
      this.#finishClosing();
    }
  }

  #attemptFailed(code: 'connect-failed' | 'connect-timeout', message: string): void {
    this.#emitError(code, message);
    if (!this.#stillIn('connecting')) return; // a listener called disconnect()
    if (++this.#failures >= this.#maxAttempts) {
      const error = new TransportConnectError('no-server', `${this.#failures} attempts failed`);
      this.#server = undefined;
      this.#transition('disconnected');
      this.#emitError('no-server', error.message);
      this.#settle(error);
      return;
    }
    this.#serverIndex = (this.#serverIndex + 1) % this.#servers.length;
    // Failover within a pass: the next server may be healthy, so waiting would only add delay.
    if (this.#serverIndex !== 0) this.#attempt();
    else this.#retryLater();
  }

  /** The next attempt after a full-jitter delay; the bound grows for the pass after. */
  #retryLater(): void {
    const delay = Math.floor(this.#fraction() * this.#bound);
    this.#bound = Math.min(this.#backoff.capMs, this.#bound * this.#backoff.factor);
    this.#setTimer(delay, () => this.#attempt());
  }

  #connectionLost(message: string): void {
    this.#clearTimer();
    this.#emitError('connection-lost', message);
    if (!this.#stillIn('connected')) return; // a listener called disconnect()
    this.#restart();
    this.#transition('connecting');
    if (this.#stillIn('connecting')) this.#retryLater();
  }

  /** Detaches and closes a socket we no longer want; its later events are ignored. */
  #dropSocket(socket: WebSocketLike): void {
    socket.onopen = socket.onmessage = socket.onclose = null;
    try {
      socket.close(NORMAL_CLOSURE);
    } catch {
      // Already closed or closing: nothing left to release.
    }
    if (this.#socket === socket) this.#socket = undefined;
  }

  #finishClosing(): void {
    this.#clearTimer();
    if (this.#socket) this.#dropSocket(this.#socket);
    this.#server = undefined;
    const closing = this.#closing;
    this.#closing = undefined;
    if (this.#state === 'closing') this.#transition('disconnected');
    closing?.resolve();
  }

  // ── frames and keep-alive ────────────────────────────────────────────────────────────────────

  #onFrame(socket: WebSocketLike, data: unknown): void {
    if (!this.#live(socket)) return;
    const frame = classifyFrame(data);
    if (frame.kind === 'message') {
      this.#events.emit('message', frame.text);
    } else if (frame.kind === 'ping') {
      // RFC 5626 §3.5.1: the side receiving a double-CRLF ping answers with a single-CRLF pong.
      this.#sendQuietly(socket, CRLF_PONG);
    } else if (frame.kind === 'pong') {
      this.#ponging = true;
      if (this.#awaiting === 'pong') this.#nextPing(socket);
    } else {
      this.#log.warn(`onFrame() | dropped: ${frame.reason}`);
    }
  }

  /** A keep-alive frame; a failure shows as no pong, or as the close event of a broken socket. */
  #sendQuietly(socket: WebSocketLike, frame: string): void {
    try {
      socket.send(frame);
    } catch {
      // See above.
    }
  }

  /**
   * Arms the next keep-alive ping. RFC 5626 §4.4.1 spreads keep-alives between 80 % and 100 % of
   * the nominal interval so that clients do not synchronise.
   */
  #nextPing(socket: WebSocketLike): void {
    this.#awaiting = undefined;
    if (this.#keepAliveIntervalMs === 0) return;
    const delay = Math.round(this.#keepAliveIntervalMs * (0.8 + 0.2 * this.#fraction()));
    this.#setTimer(delay, () => this.#ping(socket));
  }

  /**
   * One keep-alive round. Only a server that has proved it answers CRLF pings can be declared dead
   * by a missing pong: several deployed servers (Kamailio's websocket module among them) silently
   * swallow the ping. For those the UA core's OPTIONS ping decides, when it is given; without it
   * the pings still refresh NAT bindings but nothing is declared.
   */
  #ping(socket: WebSocketLike): void {
    const optionsPing = this.#optionsPing;
    if (this.#ponging === false && optionsPing) {
      const ping = (this.#awaiting = {});
      const settle = (alive: boolean): void => {
        if (this.#awaiting !== ping || !this.#live(socket)) return;
        if (alive) this.#nextPing(socket);
        else this.#dead(socket, 'OPTIONS ping failed');
      };
      this.#setTimer(this.#pongTimeoutMs, () => settle(false));
      // A throwing or rejecting hook counts as a failed ping.
      new Promise<boolean>((resolve) => resolve(optionsPing())).then(
        (answered) => settle(answered === true),
        () => settle(false),
      );
      return;
    }
    this.#sendQuietly(socket, CRLF_PING);
    if (this.#ponging === false) {
      this.#nextPing(socket);
      return;
    }
    this.#awaiting = 'pong';
    this.#setTimer(this.#pongTimeoutMs, () => {
      // RFC 5626 §4.4.1: a ping left without a pong for the timeout means the flow has failed.
      if (this.#ponging) {
        this.#dead(socket, 'no pong');
        return;
      }
      // NOTE: deviates from RFC 5626 §4.4.1 on purpose: a server that has never answered a ping
      // probably does not implement the CRLF keep-alive at all, so its silence proves nothing.
      this.#log.info('ping() | server ignores CRLF pings');
      this.#ponging = false;
      this.#nextPing(socket);
    });
  }

  #dead(socket: WebSocketLike, why: string): void {
    this.#dropSocket(socket);
    this.#connectionLost(`keep-alive: ${why}`);
  }
}
