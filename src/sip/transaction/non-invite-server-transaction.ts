import type { SipRequest, SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { InvalidStateError } from '../support/errors';
import { NON_INVITE_EDGES, Transaction, type TerminationHook, type TransactionContext } from './transaction';

export type NonInviteServerTransactionState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

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
 * A request retransmission in Trying is absorbed without an answer; in Proceeding it gets the last
 * provisional response again. Over our reliable transport (timers.ts) Timer J is zero, so Completed
 * is left as soon as it is entered.
 */
export class NonInviteServerTransaction extends Transaction<NonInviteServerTransactionState> {
  #lastText: string | undefined;

  /**
   * @param request the request that created the transaction (any method but INVITE and ACK).
   * @param onTerminated called once when the transaction ends (the layer drops it from its table).
   */
  constructor(request: SipRequest, context: TransactionContext, onTerminated?: TerminationHook) {
    super(request, 'Trying', NON_INVITE_EDGES, context, onTerminated);
  }

  /**
   * Sends a response from the TU.
   * @throws InvalidStateError once a final response has been sent.
   */
  respond(response: SipResponse): void {
    const status = response.status;
    if (this.isTerminated) throw new InvalidStateError(`${status} in Terminated`);
    const final = status >= 200;
    // §17.2.2: "While in the "Trying" state, if the TU passes a provisional response to the server
    // transaction, the server transaction MUST enter the "Proceeding" state." "If the TU passes a
    // final response (status codes 200-699) to the server, the server transaction MUST enter the
    // "Completed" state, and the response MUST be passed to the transport layer for transmission."
    if (final) this.transition('Completed');
    else if (this.state === 'Trying') this.transition('Proceeding');
    this.#lastText = serializeMessage(response);
    // "When the server transaction enters the "Completed" state, it MUST set Timer J to fire in
    // 64*T1 seconds for unreliable transports, and zero seconds for reliable transports."
    if (this.send(this.#lastText) && final) this.terminate('completed');
  }

  /** A retransmission of the request, as matched by the transaction layer (§17.2.3). Always absorbed. */
  receiveRequest(): void {
    // §17.2.2: "Any retransmissions of the request received while in the "Trying" state MUST be
    // discarded." In Proceeding "the most recent provisional response" "MUST be passed to the
    // transport layer for retransmission".
    if (this.#lastText !== undefined) this.send(this.#lastText);
  }
}
