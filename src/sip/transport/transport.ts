/**
 * The Transport port (RFC 3261 §18, RFC 7118): what the transaction layer and the UA core need from
 * a connection. The WebSocket implementation lives in websocket-transport.ts; tests use
 * loopback-transport.ts. One SIP message per send and per `message` event (RFC 7118 §5.2).
 */
import { InvalidStateError } from '../support/errors';

export type TransportState = 'disconnected' | 'connecting' | 'connected' | 'closing';

/**
 * The legal edges of {@link TransportState}, shared by every Transport implementation so the UA
 * core sees the same state machine from a WebSocket and from the loopback:
 *
 * - `disconnected → connecting`: `connect()`
 * - `connecting → connected`: a connection is established
 * - `connecting → closing`: `disconnect()` while a socket is opening
 * - `connecting → disconnected`: every attempt failed, or `disconnect()` with no socket open
 * - `connected → connecting`: connection lost or declared dead; reconnecting
 * - `connected → closing`: `disconnect()`
 * - `closing → disconnected`: the socket closed (or the close timeout passed)
 */
const EDGES: Readonly<Record<TransportState, readonly TransportState[]>> = {
  disconnected: ['connecting'],
  connecting: ['connected', 'closing', 'disconnected'],
  connected: ['connecting', 'closing'],
  closing: ['disconnected'],
};

/**
 * @throws InvalidStateError when `from → to` is not an edge of the diagram above: a bug in a
 *   transport, never caused by the network.
 */
export function assertTransportEdge(from: TransportState, to: TransportState): void {
  if (!EDGES[from].includes(to)) throw new InvalidStateError(`transport ${from} → ${to}`);
}

/** No connection was made: every server failed once (`no-server`), or `disconnect()` came first. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  constructor(readonly reason: 'no-server' | 'disconnected') {
    super(reason);
  }
}

export interface TransportError {
  readonly code: 'connect-timeout' | 'connect-failed' | 'connection-lost' | 'send-failed';
  readonly message: string;
  /** The server URL concerned, when there is one. */
  readonly server?: string;
}

export type TransportEvents = {
  /** Every state change, with the server URL in use when connected. */
  state: [state: TransportState, server: string | undefined];
  /** One received SIP message as text (keep-alive CRLFs are not reported). */
  message: [text: string];
  error: [error: TransportError];
};

export interface Transport {
  readonly state: TransportState;
  /** Via transport token: `WS` or `WSS` (RFC 7118 §5.2). */
  readonly viaTransport: 'WS' | 'WSS';
  /** The random `.invalid` host used in Via and Contact (RFC 7118 §5.2). */
  readonly viaHost: string;
  /**
   * Connects (trying the configured servers in order); resolves once connected. Rejects with
   * {@link ConnectError} when every server has failed once (`no-server`; the transport keeps
   * trying) or `disconnect()` came first (`disconnected`).
   */
  connect(): Promise<void>;
  /** Clean shutdown: no reconnection afterwards until {@link Transport.connect} is called again. */
  disconnect(): Promise<void>;
  /**
   * Sends one SIP message. Returns false (and emits nothing) when not connected: the caller — a
   * transaction — turns that into a transport error (§17.1.4).
   */
  send(text: string): boolean;
  on<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): () => void;
}
