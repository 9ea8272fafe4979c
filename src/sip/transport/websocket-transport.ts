/**
 * SIP over WebSocket (RFC 7118) as a {@link Transport}: the `sip` subprotocol, server failover and
 * reconnection with jittered back-off. A keep-alive (RFC 5626, keep-alive.ts) is opt-in.
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
 * for a back-off timer). The edges are asserted by transport.ts.
 *
 * Servers are tried in the configured order. Within one pass through the list a failed server
 * fails over to the next one at once; when the whole list has failed, the next pass starts after a
 * "full jitter" delay, uniform between zero and a bound that doubles per pass up to a cap. A
 * connection lost after it was established starts again from the first (preferred) server after
 * such a delay. The jitter matters more than the growth: when an edge proxy restarts, every
 * browser it served loses its socket at the same instant, and identical retry schedules would hit
 * the restarted server as one wave.
 *
 * Each state runs at most one timer (connect timeout, back-off, close timeout), so one timer slot
 * serves them all and leaving a state cancels whatever it was waiting for.
 *
 * Callbacks registered with {@link WebSocketTransport.on} run synchronously inside socket events;
 * they may call any method, but should not rely on the order of their own re-entrant events.
 */
import type { Clock, TimerHandle } from '../support/clock';
import { systemClock } from '../support/clock';
import { Emitter } from '../support/emitter';
import { InvalidArgumentError } from '../support/errors';
import type { Random } from '../support/random';
import { defaultRandom } from '../support/random';
import { CRLF_PONG, frameText, isKeepAlive } from './framing';
import { fraction, type FlowWatch, type KeepAlive } from './keep-alive';
import {
  assertTransportEdge,
  ConnectError,
  type Transport,
  type TransportError,
  type TransportEvents,
  type TransportState,
} from './transport';
import { SOCKET_OPEN } from './websocket-like';
import type { SocketCloseEventLike, WebSocketConstructor, WebSocketLike } from './websocket-like';

/** RFC 7118 §4.1: the subprotocol name registered for SIP. */
export const SIP_SUBPROTOCOL = 'sip';

/** Close code for every close we initiate; the only application code browsers accept besides 3000–4999. */
const NORMAL_CLOSURE = 1000;
/** How long `disconnect()` waits for the closing handshake before dropping the socket. */
const CLOSE_TIMEOUT_MS = 2_000;
/** No reconnection back-off delay exceeds this. */
const BACKOFF_CAP_MS = 30_000;

export interface WebSocketTransportOptions {
  /** `ws:`/`wss:` URLs in order of preference; later ones are failover servers. */
  readonly servers: readonly string[];
  /** The socket class: the browser's `WebSocket` or the `ws` package's. */
  readonly WebSocket: WebSocketConstructor;
  readonly clock?: Clock;
  readonly random?: Random;
  /** A socket not open by then is closed and counts as a failed attempt. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Watches each established connection, e.g. `crlfKeepAlive()`. Default none. */
  readonly keepAlive?: KeepAlive;
  /**
   * First back-off bound between passes through the server list; doubles per pass up to 30 s.
   * Default 1000.
   */
  readonly backoffMs?: number;
}

/**
 * RFC 7118 WebSocket transport. Construct, subscribe, then {@link WebSocketTransport.connect}.
 * @throws InvalidArgumentError when `servers` is empty or holds a non-ws/wss URL, or
 *   `connectTimeoutMs` is not positive.
 */
export class WebSocketTransport implements Transport {
  readonly viaHost: string;
  readonly #servers: readonly string[];
  readonly #Socket: WebSocketConstructor;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #connectTimeoutMs: number;
  readonly #backoffMs: number;
  readonly #keepAlive: KeepAlive | undefined;
  readonly #events = new Emitter<TransportEvents>();

  #state: TransportState = 'disconnected';
  #socket: WebSocketLike | undefined;
  /** Server of the current (or last) socket; cleared once disconnected. */
  #server: string | undefined;
  #serverIndex = 0;
  /** The current back-off bound. */
  #bound = 0;
  /** The one timer of the current state. */
  #timer: TimerHandle | undefined;
  /** The pending `connect()`, shared by every caller, and what settles it. */
  #connecting: Promise<void> | undefined;
  #settleConnecting: ((error?: Error) => void) | undefined;
  #closing: Promise<void> | undefined;
  #closed: (() => void) | undefined;
  /** The keep-alive of the open connection. */
  #watch: FlowWatch | undefined;

  constructor(options: WebSocketTransportOptions) {
    const { servers } = options;
    this.#servers = [...servers];
    this.#Socket = options.WebSocket;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? defaultRandom;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.#backoffMs = options.backoffMs ?? 1_000;
    this.#keepAlive = options.keepAlive;
    if (
      !servers.length ||
      !servers.every((url) => /^wss?:\/\/[^/?#\s]/i.test(url)) ||
      !(this.#connectTimeoutMs > 0)
    ) {
      throw new InvalidArgumentError('servers must be ws:/wss: URLs; connectTimeoutMs > 0');
    }
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
   * Connects, trying the servers in order with back-off between passes, for as long as it takes
   * (each failed attempt is reported as an `error` event).
   * Resolves at once when connected; joins the attempt in progress when connecting; waits for a
   * pending `disconnect()` to finish first when closing.
   * Rejects with {@link ConnectError}: `no-server` once every server has failed in one pass (the
   * attempts go on in the background; a later `connect()` joins them), `disconnected` when
   * `disconnect()` was called before a connection was established.
   */
  async connect(): Promise<void> {
    if (this.#state === 'closing') await this.#closing;
    if (this.#state === 'connected') return;
    const promise = (this.#connecting ??= new Promise<void>((resolve, reject) => {
      this.#settleConnecting = (error) => (error ? reject(error) : resolve());
    }));
    if (this.#state === 'disconnected') {
      this.#restart();
      if (this.#transition('connecting')) this.#attempt();
    }
    return promise;
  }

  /**
   * Clean shutdown: cancels reconnection and every timer, closes the socket with code 1000 and
   * resolves once it is closed (or after 2 s). Never rejects.
   */
  disconnect(): Promise<void> {
    if (this.#state === 'disconnected') return Promise.resolve();
    if (this.#closing) return this.#closing;
    this.#clearTimer();
    this.#unwatch();
    this.#settle(new ConnectError('disconnected'));
    const socket = this.#socket;
    if (!socket) {
      this.#server = undefined;
      this.#transition('disconnected');
      return Promise.resolve();
    }
    this.#closing = new Promise((resolve) => (this.#closed = resolve));
    this.#transition('closing');
    this.#setTimer(CLOSE_TIMEOUT_MS, () => this.#finishClosing());
    try {
      socket.close(NORMAL_CLOSURE);
    } catch {
      this.#finishClosing();
    }
    return this.#closing;
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

  /**
   * Enters `to` and tells the listeners. They run synchronously and may call `disconnect()`, so the
   * result says whether the transport is still in `to` and the caller may go on.
   */
  #transition(to: TransportState): boolean {
    assertTransportEdge(this.#state, to);
    this.#state = to;
    this.#events.emit('state', to, to === 'connected' ? this.#server : undefined);
    return this.#state === to;
  }

  /** Whether `socket` is the open connection (events of abandoned sockets are ignored). */
  #live(socket: WebSocketLike): boolean {
    return socket === this.#socket && this.#state === 'connected';
  }

  /** Reports an error; false when a listener changed the state meanwhile (called `disconnect()`). */
  #emitError(code: TransportError['code'], message: string): boolean {
    const state = this.#state;
    this.#events.emit('error', { code, message, server: this.#server });
    return this.#state === state;
  }

  /** Settles the pending `connect()`, if any. */
  #settle(error?: Error): void {
    this.#settleConnecting?.(error);
    this.#connecting = this.#settleConnecting = undefined;
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

  #unwatch(): void {
    this.#watch?.stop();
    this.#watch = undefined;
  }

  // ── connection attempts ──────────────────────────────────────────────────────────────────────

  /** Back to the first server and the first back-off bound. */
  #restart(): void {
    this.#serverIndex = 0;
    this.#bound = this.#backoffMs;
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
      this.#attemptFailed('connect-timeout', `${this.#connectTimeoutMs} ms`);
    });
  }

  #onOpen(socket: WebSocketLike): void {
    if (socket !== this.#socket || this.#state !== 'connecting') return;
    // RFC 7118 §4.1: a handshake response without "sip" in Sec-WebSocket-Protocol means the server
    // does not speak the SIP subprotocol, so the connection is not usable for SIP.
    if (socket.protocol !== SIP_SUBPROTOCOL) {
      this.#dropSocket(socket);
      this.#attemptFailed('connect-failed', `subprotocol "${socket.protocol}"`);
      return;
    }
    this.#restart();
    this.#clearTimer();
    this.#watch = this.#keepAlive?.({
      clock: this.#clock,
      random: this.#random,
      // The watch lives only while this socket is the open one, so send() writes to it; a failure
      // is reported as `send-failed` and then shows as a missing pong or as the socket's close.
      send: (frame) => void this.send(frame),
      fail: (why) => {
        if (!this.#live(socket)) return;
        this.#dropSocket(socket);
        this.#connectionLost(`keep-alive: ${why}`);
      },
    });
    if (this.#transition('connected')) this.#settle();
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
    if (!this.#emitError(code, message)) return;
    this.#serverIndex = (this.#serverIndex + 1) % this.#servers.length;
    // Failover within a pass: the next server may be healthy, so waiting would only add delay.
    if (this.#serverIndex) return this.#attempt();
    // The whole list failed: the caller of connect() learns it now, the retries go on.
    this.#settle(new ConnectError('no-server'));
    this.#retryLater();
  }

  /** The next attempt after a full-jitter delay; the bound doubles for the pass after. */
  #retryLater(): void {
    const delay = Math.floor(fraction(this.#random) * this.#bound);
    this.#bound = Math.min(BACKOFF_CAP_MS, this.#bound * 2);
    this.#setTimer(delay, () => this.#attempt());
  }

  #connectionLost(message: string): void {
    this.#clearTimer();
    this.#unwatch();
    if (!this.#emitError('connection-lost', message)) return;
    this.#restart();
    if (this.#transition('connecting')) this.#retryLater();
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
    this.#server = this.#closing = undefined;
    if (this.#state === 'closing') this.#transition('disconnected');
    this.#closed?.();
  }

  // ── frames ───────────────────────────────────────────────────────────────────────────────────

  /** A frame that is neither text nor UTF-8 bytes is dropped. */
  #onFrame(socket: WebSocketLike, data: unknown): void {
    const text = frameText(data);
    if (!text || !this.#live(socket)) return;
    if (!isKeepAlive(text)) this.#events.emit('message', text);
    else if (text === CRLF_PONG) this.#watch?.pong();
    // RFC 5626 §3.5.1: the side receiving a double-CRLF ping answers with a single-CRLF pong.
    else this.send(CRLF_PONG);
  }
}
