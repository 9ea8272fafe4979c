/**
 * An in-memory network of {@link Transport} endpoints for two-UA (or UA + proxy) tests that assert
 * the wire. Each `send()` becomes a recorded {@link LoopbackFrame}; a tap may drop it; a router
 * (the "proxy hook") chooses the receiving endpoint and may rewrite the text.
 *
 * Delivery goes through the injected clock with `latencyMs` (default 0), never synchronously and
 * never through microtasks. With FakeClock this makes every test deterministic: nothing arrives
 * until the test calls `clock.advance(…)`, frames arrive in send order, and messages interleave
 * with SIP timers exactly by time. `clock.advance(0)` delivers everything sent "now", including
 * replies sent synchronously by receivers.
 */
import type { Clock } from '../support/clock';
import { Emitter } from '../support/emitter';
import type { Logger } from '../support/logger';
import { redactSipText, silentLogger } from '../support/logger';
import { assertTransportEdge, type Transport, type TransportEvents, type TransportState } from './transport';

export type LoopbackFrameStatus = 'in-flight' | 'delivered' | 'dropped' | 'unroutable' | 'undeliverable';

/** One `send()` as seen on the wire. */
export interface LoopbackFrame {
  /** Send order across the whole network, from 1. */
  readonly seq: number;
  readonly from: string;
  /** The receiving endpoint, once routed. */
  readonly to: string | undefined;
  /** The text put on the wire (after a router rewrite, if any). */
  readonly text: string;
  /** Clock time of the send. */
  readonly sentAt: number;
  /**
   * `dropped` by a tap; `unroutable` when no endpoint was chosen; `undeliverable` when the
   * receiver was not connected at delivery time.
   */
  readonly status: LoopbackFrameStatus;
}

/** Return `'drop'` to lose the frame; anything else lets it through. Taps see frames once routed. */
export type LoopbackTap = (frame: LoopbackFrame) => 'drop' | void;

/** The proxy hook: the receiving endpoint's name, optionally with rewritten text. */
export type LoopbackRouter = (
  frame: { readonly from: string; readonly text: string },
  endpoints: readonly string[],
) => string | { readonly to: string; readonly text: string } | undefined;

export interface LoopbackNetworkOptions {
  readonly clock: Clock;
  /** One-way delay of every frame. Default 0 (still asynchronous: delivered by the clock). */
  readonly latencyMs?: number;
  /** Default: with exactly two endpoints, the other one; otherwise unroutable. */
  readonly router?: LoopbackRouter;
  readonly logger?: Logger;
}

export interface LoopbackEndpointOptions {
  readonly viaHost?: string;
  readonly viaTransport?: 'WS' | 'WSS';
}

/** Programmer misuse of the loopback (duplicate or unknown endpoint names). */
export class LoopbackError extends Error {
  override readonly name = 'LoopbackError';
}

interface MutableFrame {
  seq: number;
  from: string;
  to: string | undefined;
  text: string;
  sentAt: number;
  status: LoopbackFrameStatus;
}

export class LoopbackNetwork {
  readonly #clock: Clock;
  readonly #latencyMs: number;
  readonly #log: Logger;
  #router: LoopbackRouter | undefined;
  readonly #endpoints = new Map<string, LoopbackTransport>();
  readonly #frames: MutableFrame[] = [];
  readonly #taps = new Set<LoopbackTap>();

  constructor(options: LoopbackNetworkOptions) {
    this.#clock = options.clock;
    this.#latencyMs = options.latencyMs ?? 0;
    this.#router = options.router;
    this.#log = (options.logger ?? silentLogger).child('transport.loopback');
  }

  /**
   * Creates a named endpoint (disconnected until its `connect()`).
   * @throws LoopbackError when the name is taken.
   */
  endpoint(name: string, options: LoopbackEndpointOptions = {}): LoopbackTransport {
    if (this.#endpoints.has(name)) throw new LoopbackError(`endpoint ${name} already exists`);
    const transport = new LoopbackTransport(name, this, options);
    this.#endpoints.set(name, transport);
    return transport;
  }

  /** Every frame sent so far, in send order; entries update as frames are delivered or lost. */
  get frames(): readonly LoopbackFrame[] {
    return this.#frames;
  }

  /** Frames still waiting for the clock. */
  get inFlight(): number {
    return this.#frames.filter((f) => f.status === 'in-flight').length;
  }

  /** Installs a tap; returns the function that removes it. */
  tap(tap: LoopbackTap): () => void {
    this.#taps.add(tap);
    return () => this.#taps.delete(tap);
  }

  /** Drops the next `count` frames matching `predicate` (every frame by default). */
  dropNext(count = 1, predicate: (frame: LoopbackFrame) => boolean = () => true): void {
    let left = count;
    const remove = this.tap((frame) => {
      if (left <= 0 || !predicate(frame)) return;
      left--;
      if (left === 0) remove();
      return 'drop';
    });
  }

  setRouter(router: LoopbackRouter | undefined): void {
    this.#router = router;
  }

  /**
   * Simulates losing an endpoint's connection: it emits `connection-lost`, moves to `connecting`
   * (as a reconnecting WebSocket transport would) and receives nothing until {@link restore}.
   * @throws LoopbackError for an unknown name.
   */
  sever(name: string): void {
    this.#get(name).lose();
  }

  /** Ends a {@link sever}: the endpoint is connected again. */
  restore(name: string): void {
    this.#get(name).regain();
  }

  #get(name: string): LoopbackTransport {
    const endpoint = this.#endpoints.get(name);
    if (!endpoint) throw new LoopbackError(`no endpoint named ${name}`);
    return endpoint;
  }

  /** Called by {@link LoopbackTransport.send}. */
  submit(from: string, text: string): void {
    const frame: MutableFrame = {
      seq: this.#frames.length + 1,
      from,
      to: undefined,
      text,
      sentAt: this.#clock.now(),
      status: 'in-flight',
    };
    this.#frames.push(frame);
    const route = this.#route(from, text);
    if (route) {
      frame.to = route.to;
      frame.text = route.text;
    }
    for (const tap of [...this.#taps]) {
      if (tap(frame) === 'drop' && frame.status === 'in-flight') frame.status = 'dropped';
    }
    if (frame.status === 'dropped') {
      this.#log.debug(`submit() | dropped by tap #${frame.seq}`, { from });
      return;
    }
    if (!frame.to) {
      frame.status = 'unroutable';
      this.#log.warn(`submit() | unroutable frame #${frame.seq}`, { from });
      return;
    }
    this.#log.debug(`submit() | #${frame.seq} ${from} → ${frame.to}: ${redactSipText(frame.text)}`);
    this.#clock.setTimeout(() => this.#deliver(frame), this.#latencyMs);
  }

  #route(from: string, text: string): { to: string; text: string } | undefined {
    const names = [...this.#endpoints.keys()];
    if (!this.#router) {
      return names.length === 2 ? { to: names.find((n) => n !== from)!, text } : undefined;
    }
    const chosen = this.#router({ from, text }, names);
    if (chosen === undefined) return undefined;
    const route = typeof chosen === 'string' ? { to: chosen, text } : chosen;
    return this.#endpoints.has(route.to) ? route : undefined;
  }

  #deliver(frame: MutableFrame): void {
    const target = frame.to === undefined ? undefined : this.#endpoints.get(frame.to);
    if (!target || target.state !== 'connected') {
      frame.status = 'undeliverable';
      return;
    }
    frame.status = 'delivered';
    target.receive(frame.text);
  }
}

/**
 * One endpoint of a {@link LoopbackNetwork}. Same state machine as the WebSocket transport;
 * `connect()` and `disconnect()` complete synchronously (their promises are already settled).
 */
export class LoopbackTransport implements Transport {
  readonly name: string;
  readonly viaHost: string;
  readonly viaTransport: 'WS' | 'WSS';
  readonly #network: LoopbackNetwork;
  readonly #events = new Emitter<TransportEvents>();
  #state: TransportState = 'disconnected';
  #severed = false;

  constructor(name: string, network: LoopbackNetwork, options: LoopbackEndpointOptions = {}) {
    this.name = name;
    this.#network = network;
    this.viaHost = options.viaHost ?? `${name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.invalid`;
    this.viaTransport = options.viaTransport ?? 'WS';
  }

  get state(): TransportState {
    return this.#state;
  }

  on<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  connect(): Promise<void> {
    if (this.#state === 'disconnected') {
      this.#transition('connecting');
      if (!this.#severed) this.#transition('connected');
    }
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    if (this.#state === 'connected') this.#transition('closing');
    if (this.#state === 'closing' || this.#state === 'connecting') this.#transition('disconnected');
    return Promise.resolve();
  }

  send(text: string): boolean {
    if (this.#state !== 'connected') return false;
    this.#network.submit(this.name, text);
    return true;
  }

  /** Network side: a frame arrives. */
  receive(text: string): void {
    if (this.#state === 'connected') this.#events.emit('message', text);
  }

  /** Network side: see {@link LoopbackNetwork.sever}. */
  lose(): void {
    this.#severed = true;
    if (this.#state !== 'connected') return;
    this.#events.emit('error', { code: 'connection-lost', message: `loopback: ${this.name} severed` });
    if (this.#state === 'connected') this.#transition('connecting');
  }

  /** Network side: see {@link LoopbackNetwork.restore}. */
  regain(): void {
    this.#severed = false;
    if (this.#state === 'connecting') this.#transition('connected');
  }

  #transition(to: TransportState): void {
    assertTransportEdge(this.#state, to);
    this.#state = to;
    this.#events.emit('state', to, to === 'connected' ? `loopback:${this.name}` : undefined);
  }
}

/**
 * The common case: two connected-on-demand endpoints `a` and `b` that reach each other.
 * Call `connect()` on both before sending.
 */
export function createLoopbackPair(
  options: LoopbackNetworkOptions,
  names: readonly [string, string] = ['a', 'b'],
): { network: LoopbackNetwork; a: LoopbackTransport; b: LoopbackTransport } {
  const network = new LoopbackNetwork(options);
  return { network, a: network.endpoint(names[0]), b: network.endpoint(names[1]) };
}
