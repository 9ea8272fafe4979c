import type { SipRequest, SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { InvalidStateError } from '../support/errors';
import {
  assertStatus,
  Transaction,
  type Edges,
  type TerminationHook,
  type TransactionContext,
} from './transaction';

export type NonInviteServerTransactionState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

const EDGES: Edges<NonInviteServerTransactionState> = {
  Trying: ['Proceeding', 'Completed'],
  Proceeding: ['Completed', 'Terminated'],
  Completed: ['Terminated'],
  Terminated: [],
};

/**
 * Non-INVITE server transaction, RFC 3261 §17.2.2 (Figure 8).
 *
 * ```
 *                           |Request received
 *                           |pass to TU
 *                           V
 *                     +-----------+
 *                     |           |
 *                     | Trying    |-------------+
 *                     |           |             |
 *                     +-----------+             |200-699 from TU
 *                           |                   |send response
 *                           |1xx from TU        |
 *                           |send response      |
 *                           |                   |
 *        Request            V      1xx from TU  |
 *        send response+-----------+send response|
 *            +--------|           |--------+    |
 *            |        | Proceeding|        |    |
 *            +------->|           |<-------+    |
 *     +<--------------|           |             |
 *     |Trnsprt Err    +-----------+             |
 *     |Inform TU            |                   |
 *     |                     |                   |
 *     |                     |200-699 from TU    |
 *     |                     |send response      |
 *     |  Request            V                   |
 *     |  send response+-----------+             |
 *     |      +--------|           |             |
 *     |      |        | Completed |<------------+
 *     |      +------->|           |
 *     +<--------------|           |
 *     |Trnsprt Err    +-----------+
 *     |Inform TU            |
 *     |                     |Timer J fires
 *     |                     |-
 *     |                     |
 *     |                     V
 *     |               +-----------+
 *     |               |           |
 *     +-------------->| Terminated|
 *                     |           |
 *                     +-----------+
 * ```
 *
 * A request retransmission in Trying is absorbed without an answer; later ones get the last
 * response again. Timer J is zero on a reliable transport.
 */
export class NonInviteServerTransaction extends Transaction<NonInviteServerTransactionState> {
  #lastText: string | undefined;

  /**
   * @param request the request that created the transaction (any method but INVITE and ACK).
   * @param onTerminated called once when the transaction ends (the layer drops it from its table).
   * @throws InvalidArgumentError for INVITE or ACK.
   */
  constructor(request: SipRequest, context: TransactionContext, onTerminated?: TerminationHook) {
    super(request, false, 'Trying', EDGES, context, onTerminated);
  }

  /**
   * Sends a response from the TU.
   * @throws InvalidStateError once a final response has been sent (Completed or Terminated).
   * @throws InvalidArgumentError for a status outside 100–699.
   */
  respond(response: SipResponse): void {
    const status = response.status;
    assertStatus(status);
    if (this.state === 'Completed' || this.state === 'Terminated') {
      throw new InvalidStateError(`cannot send ${status} in ${this.state}`);
    }
    const provisional = status < 200;
    // §17.2.2: "While in the "Trying" state, if the TU passes a provisional response to the server
    // transaction, the server transaction MUST enter the "Proceeding" state." "If the TU passes a
    // final response (status codes 200-699) to the server, the server transaction MUST enter the
    // "Completed" state, and the response MUST be passed to the transport layer for transmission."
    if (!provisional) this.transition('Completed');
    else if (this.state === 'Trying') this.transition('Proceeding');
    this.#lastText = serializeMessage(response);
    // "When the server transaction enters the "Completed" state, it MUST set Timer J to fire in
    // 64*T1 seconds for unreliable transports, and zero seconds for reliable transports."
    if (this.send(this.#lastText) && !provisional) this.endAfter(this.timers.timerJ);
  }

  /** A retransmission of the request, as matched by the transaction layer (§17.2.3). Always absorbed. */
  receiveRequest(): void {
    // §17.2.2: "Any retransmissions of the request received while in the "Trying" state MUST be
    // discarded." In Proceeding and Completed, "the most recent provisional response" / "the final
    // response" "MUST be passed to the transport layer for retransmission".
    if (this.#lastText !== undefined) this.send(this.#lastText);
  }
}
