import type { SipRequest, SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import {
  NON_INVITE_EDGES,
  Transaction,
  type ClientTransactionUser,
  type TerminationHook,
  type TransactionContext,
} from './transaction';

export type NonInviteClientTransactionState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

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
 * Over our reliable transport (timers.ts) Timer E never runs and Timer K is zero, so Completed is
 * left as soon as it is entered. Timer F runs from the start through Trying and Proceeding.
 */
export class NonInviteClientTransaction extends Transaction<NonInviteClientTransactionState> {
  /**
   * @param request any request but INVITE and ACK, complete with its top Via (the transaction layer
   *   picks the machine by method and never makes a transaction of an ACK, §17.1).
   */
  constructor(
    request: SipRequest,
    user: ClientTransactionUser,
    context: TransactionContext,
    onTerminated?: TerminationHook,
  ) {
    super(request, 'Trying', NON_INVITE_EDGES, context, onTerminated, user);
  }

  /** Sends the request and starts Timer F. */
  override start(): void {
    // §17.1.2.2: "If an unreliable transport is in use, the client transaction MUST set timer E"
    // (not ours) ... "the client transaction MUST set timer F to fire in 64*T1 seconds." "If Timer F
    // fires while the client transaction is still in the "Trying" state, the client transaction
    // SHOULD inform the TU about the timeout, and then it SHOULD enter the "Terminated" state."
    // (The same holds in Proceeding.)
    this.sendAndWait(serializeMessage(this.request));
  }

  /**
   * A response the transaction layer matched to this transaction (§17.1.3). What the TU must see
   * reaches it through its callbacks; the rest is absorbed here.
   */
  receiveResponse(response: SipResponse): void {
    if (this.state !== 'Trying' && this.state !== 'Proceeding') return;
    if (response.status < 200) {
      // Timer F runs on in Proceeding (Figure 6).
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
    this.terminate('completed');
  }
}
