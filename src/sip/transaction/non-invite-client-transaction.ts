import type { SipRequest, SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import { nextCappedInterval } from './timers';
import {
  isProvisional,
  TransactionStateMachine,
  type Absorption,
  type ClientTransactionUser,
  type TerminationHook,
  type TransactionContext,
} from './transaction';

export enum NonInviteClientTransactionState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

const S = NonInviteClientTransactionState;

const EDGES: Readonly<Record<NonInviteClientTransactionState, readonly NonInviteClientTransactionState[]>> = {
  [S.Trying]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Completed, S.Terminated],
  [S.Completed]: [S.Terminated],
  [S.Terminated]: [],
};

type TimerName = 'E' | 'F' | 'K';

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
export class NonInviteClientTransaction extends TransactionStateMachine<
  NonInviteClientTransactionState,
  TimerName,
  ClientTransactionUser
> {
  readonly kind = 'non-invite-client';
  readonly request: SipRequest;
  readonly #requestText: string;
  #started = false;

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
    super(S.Trying, S.Terminated, EDGES, user, context, onTerminated);
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new InvalidArgumentError(`a non-INVITE client transaction cannot carry ${request.method}`);
    }
    this.request = request;
    this.#requestText = serializeMessage(request);
  }

  /**
   * Sends the request and starts Timers E and F.
   * @throws InvalidStateError when called twice.
   */
  start(): void {
    if (this.#started) throw new InvalidStateError('the non-INVITE client transaction is already started');
    this.#started = true;
    if (!this.context.send(this.#requestText)) {
      this.failTransport();
      return;
    }
    // §17.1.2.2: "If an unreliable transport is in use, the client transaction MUST set timer E to
    // fire in T1 seconds." "... the client transaction MUST set timer F to fire in 64*T1 seconds."
    const e = this.context.timers.timerE;
    if (e !== undefined) this.#startTimerE(e);
    // "If Timer F fires while the client transaction is still in the "Trying" state, the client
    // transaction SHOULD inform the TU about the timeout, and then it SHOULD enter the
    // "Terminated" state." (The same holds in Proceeding.)
    this.timers.start('F', this.context.timers.timerF, () => this.timeOut());
  }

  /** A response the transaction layer matched to this transaction (§17.1.3). */
  receiveResponse(response: SipResponse): Absorption {
    const status = response.status;
    if (status < 100 || status > 699) return 'absorbed';
    switch (this.state) {
      case S.Trying:
      case S.Proceeding:
        if (isProvisional(status)) {
          if (this.state === S.Trying) this.transition(S.Proceeding);
          this.callUser('onProvisional', () => this.user.onProvisional?.(response));
          return 'delivered';
        }
        this.#complete(response);
        return 'delivered';
      case S.Completed:
      case S.Terminated:
        // §17.1.2.2: the Completed state exists "to buffer any additional response
        // retransmissions that may be received".
        return 'absorbed';
    }
  }

  #complete(response: SipResponse): void {
    // §17.1.2.2: "If a final response (status codes 200-699) is received while the client
    // transaction is in the "Trying" state, the response MUST be passed to the TU, and the client
    // transaction MUST transition to the "Completed" state." "Once the client transaction enters
    // the "Completed" state, it MUST set Timer K to fire in T4 seconds for unreliable transports,
    // and zero seconds for reliable transports."
    this.transition(S.Completed);
    this.timers.stop('E');
    this.timers.stop('F');
    this.callUser('onFinal', () => this.user.onFinal?.(response));
    if (this.isTerminated) return; // the TU disposed the transaction from its callback
    const k = this.context.timers.timerK;
    if (k === 0) this.terminate('completed');
    else this.timers.start('K', k, () => this.terminate('completed'));
  }

  #startTimerE(interval: number): void {
    this.timers.start('E', interval, () => {
      if (!this.context.send(this.#requestText)) {
        this.failTransport();
        return;
      }
      // §17.1.2.2: in Trying "the timer is reset with a value of MIN(2*T1, T2)" and doubles up to
      // T2; "If Timer E fires while in the "Proceeding" state, the request MUST be passed to the
      // transport layer for retransmission, and Timer E MUST be reset with a value of T2 seconds."
      const t2 = this.context.timers.t2;
      this.#startTimerE(this.state === S.Proceeding ? t2 : nextCappedInterval(interval, t2));
    });
  }
}
