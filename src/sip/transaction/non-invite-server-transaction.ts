import type { SipRequest, SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import {
  isProvisional,
  TransactionStateMachine,
  type ServerTransactionUser,
  type TerminationHook,
  type TransactionContext,
} from './transaction';

export enum NonInviteServerTransactionState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

const S = NonInviteServerTransactionState;

const EDGES: Readonly<Record<NonInviteServerTransactionState, readonly NonInviteServerTransactionState[]>> = {
  [S.Trying]: [S.Proceeding, S.Completed],
  [S.Proceeding]: [S.Completed, S.Terminated],
  [S.Completed]: [S.Terminated],
  [S.Terminated]: [],
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
export class NonInviteServerTransaction extends TransactionStateMachine<
  NonInviteServerTransactionState,
  'J',
  ServerTransactionUser
> {
  readonly kind = 'non-invite-server';
  readonly request: SipRequest;
  #lastResponseText: string | undefined;
  #lastResponse: SipResponse | undefined;

  /**
   * @param request the request that created the transaction (any method but INVITE and ACK).
   * @param onTerminated called once when the transaction ends (the layer drops it from its table).
   * @throws InvalidArgumentError for INVITE or ACK.
   */
  constructor(request: SipRequest, context: TransactionContext, onTerminated?: TerminationHook) {
    super(S.Trying, S.Terminated, EDGES, {}, context, onTerminated);
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new InvalidArgumentError(`a non-INVITE server transaction cannot carry ${request.method}`);
    }
    this.request = request;
  }

  /** The most recent response sent, if any. */
  get lastResponse(): SipResponse | undefined {
    return this.#lastResponse;
  }

  /** Sets the TU callbacks: the TU learns of a server transaction only after it was created. */
  setUser(user: ServerTransactionUser): void {
    this.user = user;
  }

  /**
   * Sends a response from the TU.
   * @throws InvalidStateError once a final response has been sent (Completed or Terminated).
   * @throws InvalidArgumentError for a status outside 100–699.
   */
  respond(response: SipResponse): void {
    if (response.status < 100 || response.status > 699) {
      throw new InvalidArgumentError(`invalid response status ${response.status}`);
    }
    if (this.state === S.Completed || this.state === S.Terminated) {
      throw new InvalidStateError(`cannot respond in the ${this.state} state: a final response was sent`);
    }
    const provisional = isProvisional(response.status);
    // §17.2.2: "While in the "Trying" state, if the TU passes a provisional response to the server
    // transaction, the server transaction MUST enter the "Proceeding" state." "If the TU passes a
    // final response (status codes 200-699) to the server, the server transaction MUST enter the
    // "Completed" state, and the response MUST be passed to the transport layer for transmission."
    if (provisional && this.state === S.Trying) this.transition(S.Proceeding);
    if (!provisional) this.transition(S.Completed);
    this.#lastResponse = response;
    this.#lastResponseText = serializeMessage(response);
    if (!this.context.send(this.#lastResponseText)) {
      this.failTransport();
      return;
    }
    if (provisional) return;
    // "When the server transaction enters the "Completed" state, it MUST set Timer J to fire in
    // 64*T1 seconds for unreliable transports, and zero seconds for reliable transports."
    const j = this.context.timers.timerJ;
    if (j === 0) this.terminate('completed');
    else this.timers.start('J', j, () => this.terminate('completed'));
  }

  /** A retransmission of the request, as matched by the transaction layer (§17.2.3). Always absorbed. */
  receiveRequest(): 'absorbed' {
    // §17.2.2: "Any retransmissions of the request received while in the "Trying" state MUST be
    // discarded." In Proceeding and Completed, "the most recent provisional response" / "the final
    // response" "MUST be passed to the transport layer for retransmission".
    if ((this.state === S.Proceeding || this.state === S.Completed) && this.#lastResponseText !== undefined) {
      if (!this.context.send(this.#lastResponseText)) this.failTransport();
    }
    return 'absorbed';
  }
}
