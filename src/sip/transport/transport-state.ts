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
import { InvalidStateError } from '../support/errors';
import type { TransportState } from './transport';

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
