import type { SipRequest, SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import {
  Transaction,
  type ClientTransactionUser,
  type Edges,
  type TerminationHook,
  type TransactionContext,
} from './transaction';

export type NonInviteClientTransactionState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

const EDGES: Edges<NonInviteClientTransactionState> = {
  Trying: ['Proceeding', 'Completed', 'Terminated'],
  Proceeding: ['Completed', 'Terminated'],
  Completed: ['Terminated'],
  Terminated: [],
};

/**
 * Non-INVITE client transaction, RFC 3261 §17.1.2 (Figure 6).
 *
 * ```
 *                          |Request from TU
 *                          |send request
 *      Timer E             V
 *      send request  +-----------+
 *          +---------|           |-------------------+
 *          |         |  Trying   |  Timer F          |
 *          +-------->|           |  or Transport Err.|
 *                    +-----------+  inform TU        |
 *       200-699         |  |                         |
 *       resp. to TU     |  |1xx                      |
 *       +---------------+  |resp. to TU              |
 *       |                  |                         |
 *       |   Timer E        V       Timer F           |
 *       |   send req +-----------+ or Transport Err. |
 *       |  +---------|           | inform TU         |
 *       |  |         |Proceeding |------------------>|
 *       |  +-------->|           |-----+             |
 *       |            +-----------+     |1xx          |
 *       |              |      ^        |resp to TU   |
 *       | 200-699      |      +--------+             |
 *       | resp. to TU  |                             |
 *       |              |                             |
 *       |              V                             |
 *       |            +-----------+                   |
 *       |            |           |                   |
 *       |            | Completed |                   |
 *       |            |           |                   |
 *       |            +-----------+                   |
 *       |              ^   |                         |
 *       |              |   | Timer K                 |
 *       +--------------+   | -                       |
 *                          |                         |
 *                          V                         |
 *    NOTE:           +-----------+                   |
 *                    |           |                   |
 *    transitions     | Terminated|<------------------+
 *    labeled with    |           |
 *    the event       +-----------+
 *    over the action
 *    to take
 * ```
 *
 * Timers E and F run from the start; Timer E only on an unreliable transport.
 */
export class NonInviteClientTransaction extends Transaction<NonInviteClientTransactionState> {
  readonly #requestText: string;

  /**
   * @param request any request but INVITE and ACK, complete with its top Via.
   * @throws InvalidArgumentError for INVITE (use the INVITE client transaction) or ACK (an ACK is
   *   never a transaction of its own on the client side, §17.1).
   */
  constructor(
    request: SipRequest,
    user: ClientTransactionUser,
    context: TransactionContext,
    onTerminated?: TerminationHook,
  ) {
    super(request, false, 'Trying', EDGES, context, onTerminated, user);
    this.#requestText = serializeMessage(request);
  }

  /** Sends the request and starts Timers E and F. */
  override start(): void {
    const { timerE, timerF, t2 } = this.timers;
    // §17.1.2.2: "If an unreliable transport is in use, the client transaction MUST set timer E to
    // fire in T1 seconds." In Trying "the timer is reset with a value of MIN(2*T1, T2)" and
    // doubles up to T2; "If Timer E fires while in the "Proceeding" state, the request MUST be
    // passed to the transport layer for retransmission, and Timer E MUST be reset with a value of
    // T2 seconds." "... the client transaction MUST set timer F to fire in 64*T1 seconds." "If
    // Timer F fires while the client transaction is still in the "Trying" state, the client
    // transaction SHOULD inform the TU about the timeout, and then it SHOULD enter the
    // "Terminated" state." (The same holds in Proceeding.)
    this.sendAndWait(
      this.#requestText,
      timerE,
      (interval) => (this.state === 'Proceeding' ? t2 : Math.min(2 * interval, t2)),
      timerF,
    );
  }

  /**
   * A response the transaction layer matched to this transaction (§17.1.3). What the TU must see
   * reaches it through its callbacks; the rest (retransmissions) is absorbed here.
   */
  receiveResponse(response: SipResponse): void {
    // §17.1.2.2: the Completed state exists "to buffer any additional response retransmissions
    // that may be received".
    if (this.state !== 'Trying' && this.state !== 'Proceeding') return;
    if (response.status < 200) {
      // Timers E and F run on in Proceeding (Figure 6).
      if (this.state === 'Trying') this.transition('Proceeding', true);
      this.notify('onProvisional', response);
      return;
    }
    // §17.1.2.2: "If a final response (status codes 200-699) is received while the client
    // transaction is in the "Trying" state, the response MUST be passed to the TU, and the client
    // transaction MUST transition to the "Completed" state." "Once the client transaction enters
    // the "Completed" state, it MUST set Timer K to fire in T4 seconds for unreliable transports,
    // and zero seconds for reliable transports."
    this.transition('Completed');
    this.notify('onFinal', response);
    if (!this.isTerminated) this.endAfter(this.timers.timerK);
  }
}
