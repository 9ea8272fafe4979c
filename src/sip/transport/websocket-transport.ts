/**
 * SIP over WebSocket (RFC 7118) as a {@link Transport}: the `sip` subprotocol, server failover,
 * CRLF keep-alive (RFC 5626 §4.4.1, see keep-alive.ts) and reconnection with jittered back-off.
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
 * full-jitter back-off delay that grows per pass (reconnect-backoff.ts). A connection lost after it
 * was established starts again from the first (preferred) server after a jittered delay, so a
 * server restart is not answered by every client at the same instant.
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
import { KeepAlive } from './keep-alive';
import type { DeadReason } from './keep-alive';
import type { BackoffPolicy } from './reconnect-backoff';
import { backoffDelay, DEFAULT_BACKOFF, randomFraction } from './reconnect-backoff';
import type { Transport, TransportError, TransportEvents, TransportState } from './transport';
import { assertTransportEdge } from './transport-state';
import { SOCKET_OPEN } from './websocket-like';
import type { SocketCloseEventLike, WebSocketConstructor, WebSocketLike } from './websocket-like';

/** RFC 7118 §4.1: the subprotocol name registered for SIP. */
export const SIP_SUBPROTOCOL = 'sip';

/** Close code for every close we initiate; the only application code browsers accept besides 3000–4999. */
const NORMAL_CLOSURE = 1000;

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
  /** Wait for a pong (RFC 5626 §4.4.1 uses 10 s). Default 10000. */
  readonly pongTimeoutMs?: number;
  /** Wait for the OPTIONS fallback ping. Defaults to `pongTimeoutMs`. */
  readonly optionsTimeoutMs?: number;
  /** See {@link WebSocketTransport.setOptionsPing}. */
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

type Waiter = { resolve: () => void; reject: (error: Error) => void };

function isWebSocketUrl(url: string): boolean {
  return /^wss?:\/\/[^/?#\s]+/i.test(url);
}

function viaTransportOf(url: string): 'WS' | 'WSS' {
  return /^wss:/i.test(url) ? 'WSS' : 'WS';
}

/**
 * RFC 7118 WebSocket transport. Construct, subscribe, then {@link WebSocketTransport.connect}.
 * @throws TransportConfigError when `servers` is empty, holds a non-ws/wss URL, or a timing
 *   option is not a positive number.
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
  readonly #optionsTimeoutMs: number | undefined;
  readonly #backoff: BackoffPolicy;
  readonly #maxAttempts: number;
  readonly #closeTimeoutMs: number;
  readonly #events: Emitter<TransportEvents>;
  #optionsPing: (() => Promise<boolean>) | undefined;

  #state: TransportState = 'disconnected';
  #socket: WebSocketLike | undefined;
  /** Server of {@link WebSocketTransport.#socket}, set while connecting or connected. */
  #socketServer: string | undefined;
  #serverIndex = 0;
  /** Consecutive failed attempts since the last established connection. */
  #failures = 0;
  /** Back-off exponent: passes through the server list that failed (or 0 after a loss). */
  #round = 0;
  #connectTimer: TimerHandle | undefined;
  #retryTimer: TimerHandle | undefined;
  #closeTimer: TimerHandle | undefined;
  #keepAlive: KeepAlive | undefined;
  #waiters: Waiter[] = [];
  #closing: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(options: WebSocketTransportOptions) {
    const positive = (
      name: string,
      value: number | undefined,
      fallback: number,
      allowZero = false,
    ): number => {
      const v = value ?? fallback;
      if (!(typeof v === 'number' && (allowZero ? v >= 0 : v > 0))) {
        throw new TransportConfigError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
      }
      return v;
    };
    if (options.servers.length === 0) throw new TransportConfigError('servers must list at least one URL');
    for (const url of options.servers) {
      if (!isWebSocketUrl(url)) throw new TransportConfigError(`not a ws: or wss: URL: ${url}`);
    }
    if (typeof options.WebSocket !== 'function')
      throw new TransportConfigError('WebSocket constructor missing');
    this.#servers = [...options.servers];
    this.#Socket = options.WebSocket;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? defaultRandom;
    this.#log = (options.logger ?? silentLogger).child('transport');
    this.#connectTimeoutMs = positive('connectTimeoutMs', options.connectTimeoutMs, 5_000);
    this.#keepAliveIntervalMs = positive('keepAliveIntervalMs', options.keepAliveIntervalMs, 25_000, true);
    this.#pongTimeoutMs = positive('pongTimeoutMs', options.pongTimeoutMs, 10_000);
    this.#optionsTimeoutMs =
      options.optionsTimeoutMs === undefined
        ? undefined
        : positive('optionsTimeoutMs', options.optionsTimeoutMs, 0);
    this.#closeTimeoutMs = positive('closeTimeoutMs', options.closeTimeoutMs, 2_000);
    this.#maxAttempts = positive('maxAttempts', options.maxAttempts, Infinity);
    const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    positive('backoff.baseMs', backoff.baseMs, 0, true);
    positive('backoff.capMs', backoff.capMs, 0, true);
    if (!(backoff.factor >= 1)) throw new TransportConfigError('backoff.factor must be >= 1');
    this.#backoff = backoff;
    this.#optionsPing = options.optionsPing;
    this.#events = new Emitter<TransportEvents>((error, event) =>
      this.#log.error(`emit() | a '${String(event)}' listener threw`, { error: String(error) }),
    );
    // RFC 7118 §5.2: the client has no reachable host, so Via and Contact carry a random
    // `.invalid` domain name; it stays the same for the transport's lifetime so dialogs survive
    // reconnections.
    this.viaHost = `${this.#random.hex(6)}.invalid`;
  }

  get state(): TransportState {
    return this.#state;
  }

  /** From the scheme of the server in use (or about to be tried first). */
  get viaTransport(): 'WS' | 'WSS' {
    return viaTransportOf(this.#socketServer ?? this.#servers[this.#serverIndex] ?? this.#servers[0]!);
  }

  /** The server URL of the open connection, if any. */
  get server(): string | undefined {
    return this.#state === 'connected' ? this.#socketServer : undefined;
  }

  /**
   * Installs the UA core's OPTIONS ping (resolves true on any response to an OPTIONS sent to the
   * server). Used for keep-alive when the server never answers CRLF pings; read at each decision,
   * so it may be installed after construction.
   */
  setOptionsPing(hook: (() => Promise<boolean>) | undefined): void {
    this.#optionsPing = hook;
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
    if (this.#state === 'connected') return;
    if (this.#state === 'closing' && this.#closing) await this.#closing.promise;
    const connected = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (this.#state === 'disconnected') {
      this.#failures = 0;
      this.#round = 0;
      this.#serverIndex = 0;
      this.#transition('connecting');
      if (this.#stillIn('connecting')) this.#attempt();
    } else if (this.#stillIn('connected')) {
      this.#settleWaiters();
    }
    return connected;
  }

  /**
   * Clean shutdown: cancels reconnection and every timer, closes the socket with code 1000 and
   * resolves once it is closed (or after `closeTimeoutMs`). Never rejects.
   */
  disconnect(): Promise<void> {
    if (this.#state === 'disconnected') return Promise.resolve();
    if (this.#state === 'closing') return this.#closing!.promise;
    this.#clearTimer('connect');
    this.#clearTimer('retry');
    this.#stopKeepAlive();
    this.#settleWaiters(
      new TransportConnectError('disconnected', 'disconnect() called before the connection was established'),
    );
    const socket = this.#socket;
    if (!socket) {
      this.#socketServer = undefined;
      this.#transition('disconnected');
      return Promise.resolve();
    }
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.#closing = { promise, resolve };
    this.#transition('closing');
    this.#closeTimer = this.#clock.setTimeout(() => {
      this.#closeTimer = undefined;
      this.#log.warn('disconnect() | no close handshake, dropping the socket');
      this.#finishClosing();
    }, this.#closeTimeoutMs);
    try {
      socket.close(NORMAL_CLOSURE, 'disconnect');
    } catch {
      this.#finishClosing();
    }
    return promise;
  }

  /**
   * Sends one SIP message in one text frame (RFC 7118 §5: one SIP message per WebSocket message).
   * @returns false when not connected (nothing emitted) or when the socket refused the data
   *   (a `send-failed` error is emitted).
   */
  send(text: string): boolean {
    const socket = this.#socket;
    if (this.#state !== 'connected' || !socket || socket.readyState !== SOCKET_OPEN) return false;
    try {
      socket.send(text);
    } catch (error) {
      this.#emitError({ code: 'send-failed', message: String(error), server: this.#socketServer });
      return false;
    }
    // One line per frame: the full, redacted message is the UA's SIP trace, not the transport's.
    this.#log.debug(`send() | ${firstLine(text)}`, { server: this.#socketServer, bytes: text.length });
    return true;
  }

  // ── state machine ────────────────────────────────────────────────────────────────────────────

  #transition(to: TransportState): void {
    assertTransportEdge(this.#state, to);
    this.#state = to;
    this.#log.debug(`transition() | ${to}`, { server: this.#socketServer });
    this.#events.emit('state', to, to === 'connected' ? this.#socketServer : undefined);
  }

  /**
   * State re-check after emitting: listeners run synchronously and may have called
   * `disconnect()`. A method, not a comparison, so TypeScript does not narrow it away.
   */
  #stillIn(state: TransportState): boolean {
    return this.#state === state;
  }

  #emitError(error: TransportError): void {
    this.#log.warn(
      `error() | ${error.code}: ${error.message}`,
      error.server ? { server: error.server } : undefined,
    );
    this.#events.emit('error', error);
  }

  #settleWaiters(error?: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) {
      if (error) w.reject(error);
      else w.resolve();
    }
  }

  #clearTimer(which: 'connect' | 'retry' | 'close'): void {
    const handle =
      which === 'connect' ? this.#connectTimer : which === 'retry' ? this.#retryTimer : this.#closeTimer;
    if (handle !== undefined) this.#clock.clearTimeout(handle);
    if (which === 'connect') this.#connectTimer = undefined;
    else if (which === 'retry') this.#retryTimer = undefined;
    else this.#closeTimer = undefined;
  }

  // ── connection attempts ──────────────────────────────────────────────────────────────────────

  #attempt(): void {
    this.#retryTimer = undefined;
    const server = this.#servers[this.#serverIndex]!;
    this.#socketServer = server;
    this.#log.info('attempt() | opening WebSocket', { server, attempt: this.#failures + 1 });
    let socket: WebSocketLike;
    try {
      // RFC 7118 §4.1: the client asks for the "sip" subprotocol in the opening handshake.
      socket = new this.#Socket(server, SIP_SUBPROTOCOL);
    } catch (error) {
      this.#attemptFailed('connect-failed', `cannot open socket: ${String(error)}`, server);
      return;
    }
    this.#socket = socket;
    if ('binaryType' in socket) {
      try {
        socket.binaryType = 'arraybuffer';
      } catch {
        // Some socket shims make binaryType read-only; framing.ts copes with byte views too.
      }
    }
    socket.onopen = () => this.#onOpen(socket);
    socket.onclose = (event: SocketCloseEventLike) => this.#onClose(socket, event);
    // An error is always followed by a close event, which carries the decision.
    socket.onerror = () => this.#log.debug('onerror() | socket error', { server });
    socket.onmessage = (event) => this.#onFrame(socket, event.data);
    this.#connectTimer = this.#clock.setTimeout(() => this.#onConnectTimeout(socket), this.#connectTimeoutMs);
  }

  #onOpen(socket: WebSocketLike): void {
    if (socket !== this.#socket || this.#state !== 'connecting') return;
    this.#clearTimer('connect');
    const server = this.#socketServer!;
    // RFC 7118 §4.1: a handshake response without "sip" in Sec-WebSocket-Protocol means the server
    // does not speak the SIP subprotocol, so the connection is not usable for SIP.
    if (socket.protocol !== SIP_SUBPROTOCOL) {
      this.#dropSocket(socket, 'sip subprotocol not agreed');
      this.#attemptFailed(
        'connect-failed',
        `server did not agree to the "sip" subprotocol (got "${socket.protocol}")`,
        server,
      );
      return;
    }
    this.#failures = 0;
    this.#round = 0;
    this.#log.info('onOpen() | connected', { server });
    this.#startKeepAlive(socket);
    this.#transition('connected');
    if (this.#stillIn('connected')) this.#settleWaiters();
  }

  #onConnectTimeout(socket: WebSocketLike): void {
    this.#connectTimer = undefined;
    if (socket !== this.#socket || this.#state !== 'connecting') return;
    const server = this.#socketServer!;
    this.#dropSocket(socket, 'connect timeout');
    this.#attemptFailed('connect-timeout', `not open within ${this.#connectTimeoutMs} ms`, server);
  }

  #onClose(socket: WebSocketLike, event: SocketCloseEventLike): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    this.#clearTimer('connect');
    const detail = `code ${event.code}${event.reason ? ` (${event.reason})` : ''}`;
    switch (this.#state) {
      case 'connecting':
        this.#attemptFailed('connect-failed', `closed before opening: ${detail}`, this.#socketServer);
        return;
      case 'connected':
        this.#connectionLost(`closed by the server: ${detail}`);
        return;
      case 'closing':
        this.#finishClosing();
        return;
      case 'disconnected':
        return;
    }
  }

  #attemptFailed(
    code: 'connect-failed' | 'connect-timeout',
    message: string,
    server: string | undefined,
  ): void {
    this.#emitError({ code, message, server });
    if (!this.#stillIn('connecting')) return; // a listener called disconnect()
    this.#failures++;
    if (this.#failures >= this.#maxAttempts) {
      this.#giveUp();
      return;
    }
    this.#serverIndex = (this.#serverIndex + 1) % this.#servers.length;
    if (this.#serverIndex !== 0) {
      // Failover within a pass: the next server may be healthy, so waiting would only add delay.
      this.#attempt();
      return;
    }
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    const delay = backoffDelay(this.#round, this.#backoff, randomFraction(this.#random));
    this.#round++;
    this.#log.info('scheduleRetry() | next attempt', {
      delayMs: delay,
      server: this.#servers[this.#serverIndex],
    });
    this.#retryTimer = this.#clock.setTimeout(() => this.#attempt(), delay);
  }

  #giveUp(): void {
    const message = `no server reachable after ${this.#failures} attempts`;
    this.#socketServer = undefined;
    this.#transition('disconnected');
    this.#emitError({ code: 'no-server', message });
    this.#settleWaiters(new TransportConnectError('no-server', message));
  }

  #connectionLost(message: string): void {
    this.#stopKeepAlive();
    this.#emitError({ code: 'connection-lost', message, server: this.#socketServer });
    if (!this.#stillIn('connected')) return; // a listener called disconnect()
    this.#serverIndex = 0;
    this.#round = 0;
    this.#failures = 0;
    this.#transition('connecting');
    if (this.#stillIn('connecting')) this.#scheduleRetry();
  }

  /** Detaches and closes a socket we no longer want; its later events are ignored. */
  #dropSocket(socket: WebSocketLike, reason: string): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    // Keep an error handler: `ws` throws on an 'error' event nobody listens to.
    socket.onerror = () => undefined;
    try {
      socket.close(NORMAL_CLOSURE, reason);
    } catch {
      // Already closed or closing: nothing left to release.
    }
    if (this.#socket === socket) this.#socket = undefined;
  }

  #finishClosing(): void {
    this.#clearTimer('close');
    if (this.#socket) this.#dropSocket(this.#socket, 'disconnect');
    this.#socketServer = undefined;
    const closing = this.#closing;
    this.#closing = undefined;
    if (this.#state === 'closing') this.#transition('disconnected');
    closing?.resolve();
  }

  // ── frames and keep-alive ────────────────────────────────────────────────────────────────────

  #onFrame(socket: WebSocketLike, data: unknown): void {
    if (socket !== this.#socket || this.#state !== 'connected') return;
    const frame = classifyFrame(data);
    switch (frame.kind) {
      case 'ping':
        // RFC 5626 §3.5.1: the side receiving a double-CRLF ping answers with a single-CRLF pong.
        try {
          socket.send(CRLF_PONG);
        } catch {
          // The close event that follows a broken socket handles the loss.
        }
        return;
      case 'pong':
        this.#keepAlive?.pongReceived();
        return;
      case 'invalid':
        this.#log.warn(`onFrame() | dropped frame: ${frame.reason}`, { server: this.#socketServer });
        return;
      case 'message':
        this.#log.debug(`recv() | ${firstLine(frame.text)}`, {
          server: this.#socketServer,
          bytes: frame.text.length,
        });
        this.#events.emit('message', frame.text);
        return;
    }
  }

  #startKeepAlive(socket: WebSocketLike): void {
    if (this.#keepAliveIntervalMs === 0) return;
    // The hook is read through a getter so one installed after connecting is still used.
    const getHook = (): (() => Promise<boolean>) | undefined => this.#optionsPing;
    const keepAlive = new KeepAlive({
      clock: this.#clock,
      intervalMs: this.#keepAliveIntervalMs,
      pongTimeoutMs: this.#pongTimeoutMs,
      optionsTimeoutMs: this.#optionsTimeoutMs,
      get optionsPing() {
        return getHook();
      },
      sendPing: () => {
        try {
          socket.send(CRLF_PING);
        } catch {
          // A failed ping is answered by no pong, which the keep-alive already handles.
        }
      },
      onDead: (reason) => this.#onDead(socket, reason),
      jitter: () => randomFraction(this.#random),
      logger: this.#log,
    });
    this.#keepAlive = keepAlive;
    keepAlive.start();
  }

  #stopKeepAlive(): void {
    this.#keepAlive?.stop();
    this.#keepAlive = undefined;
  }

  #onDead(socket: WebSocketLike, reason: DeadReason): void {
    if (socket !== this.#socket || this.#state !== 'connected') return;
    this.#keepAlive = undefined;
    this.#dropSocket(socket, 'keep-alive failed');
    this.#connectionLost(`keep-alive failed: ${reason}`);
  }
}

/** The start line of a SIP message, for one-line transport logs. */
function firstLine(text: string): string {
  const end = text.indexOf('\r\n');
  return end < 0 ? text.slice(0, 120) : text.slice(0, Math.min(end, 120));
}
