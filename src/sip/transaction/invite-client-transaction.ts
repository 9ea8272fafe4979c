import { getCSeq } from '../message/headers';
import { createRequest, SipHeaders, type SipRequest, type SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import {
  isFinalFailure,
  isProvisional,
  isSuccess,
  TransactionStateMachine,
  type Absorption,
  type ClientTransactionUser,
  type TerminationHook,
  type TransactionContext,
} from './transaction';

export enum InviteClientTransactionState {
  Calling = 'Calling',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Accepted = 'Accepted',
  Terminated = 'Terminated',
}

const S = InviteClientTransactionState;

/** The edges of Figure 5 as updated by RFC 6026 §8.4 (drawn on the class). */
const EDGES: Readonly<Record<InviteClientTransactionState, readonly InviteClientTransactionState[]>> = {
  [S.Calling]: [S.Proceeding, S.Completed, S.Accepted, S.Terminated],
  [S.Proceeding]: [S.Completed, S.Accepted],
  [S.Completed]: [S.Terminated],
  [S.Accepted]: [S.Terminated],
  [S.Terminated]: [],
};

type TimerName = 'A' | 'B' | 'D' | 'M';

/**
 * INVITE client transaction, RFC 3261 §17.1.1 (Figure 5) with the Accepted state of RFC 6026 §8.4.
 *
 * ```
 *                      |INVITE from TU
 *    Timer A fires     |INVITE sent
 *    Reset A,          V                       Timer B fires
 *    INVITE sent +-----------+                 or Transport Err.
 *      +---------|           |-------------------------------+
 *      |         |  Calling  |                 inform TU     |
 *      +-------->|           |------------------+            |
 *                +-----------+  2xx             |            |
 *     300-699      |       |    2xx to TU       |            |
 *     ACK sent     |       |1xx                 |            |
 *     resp. to TU  |       |1xx to TU           |            |
 *        +---------+       V                    |            |
 *        |    1xx    +-----------+              |            |
 *        |    to TU  |           |  2xx         |            |
 *        |   +-------|Proceeding |  2xx to TU   |            |
 *        |   +------>|           |-------+      |            |
 *        |           +-----------+       |      |            |
 *        |  300-699        |             V      V            |
 *        |  ACK sent       |         +------------+  2xx     |
 *        |  resp. to TU    |         |            |---+      |
 *        |                 |         |  Accepted  |   | 2xx  |
 *        |                 V         |            |<--+ to TU|
 *        |           +-----------+   +------------+          |
 *        +---------->|           |         |                 |
 *          300-699   | Completed |         |Timer M          |
 *          ACK sent  |           |         |-                |
 *          +---------|           |         |                 |
 *          +-------->+-----------+         |                 |
 *                          |               |                 |
 *     Timer D fires or     |               |                 |
 *     Transport Err.       V               V                 |
 *     inform TU      +---------------------------+           |
 *                    |         Terminated        |<----------+
 *                    +---------------------------+
 * ```
 *
 * The ACK for a 3xx–6xx response is built and sent here (§17.1.1.3); the ACK for a 2xx belongs to
 * the TU (§13.2.2.4), which receives every 2xx (the first through `onFinal`, later ones through
 * `onAdditional2xx`).
 */
export class InviteClientTransaction extends TransactionStateMachine<
  InviteClientTransactionState,
  TimerName,
  ClientTransactionUser
> {
  readonly kind = 'invite-client';
  readonly request: SipRequest;
  readonly #requestText: string;
  readonly #cseq: number;
  #ackText: string | undefined;
  #started = false;

  /**
   * @param request the INVITE, complete with its top Via (the transaction layer adds it).
   * @param onTerminated called once when the transaction ends (the layer drops it from its table).
   * @throws InvalidArgumentError when the request is not an INVITE or has no parsable CSeq.
   */
  constructor(
    request: SipRequest,
    user: ClientTransactionUser,
    context: TransactionContext,
    onTerminated?: TerminationHook,
  ) {
    super(S.Calling, S.Terminated, EDGES, user, context, onTerminated);
    if (request.method !== 'INVITE')
      throw new InvalidArgumentError(`expected an INVITE, got ${request.method}`);
    const cseq = getCSeq(request);
    if (!cseq.ok) throw new InvalidArgumentError(`INVITE without a valid CSeq: ${cseq.error.message}`);
    this.request = request;
    this.#cseq = cseq.value.seq;
    this.#requestText = serializeMessage(request);
  }

  /**
   * Sends the INVITE and starts Timers A and B.
   * @throws InvalidStateError when called twice.
   */
  start(): void {
    if (this.#started) throw new InvalidStateError('the INVITE client transaction is already started');
    this.#started = true;
    if (!this.context.send(this.#requestText)) {
      this.failTransport();
      return;
    }
    // §17.1.1.2: "If an unreliable transport is being used, the client transaction MUST start
    // timer A with a value of T1." "For any transport, the client transaction MUST start timer B."
    const a = this.context.timers.timerA;
    if (a !== undefined) this.#startTimerA(a);
    this.timers.start('B', this.context.timers.timerB, () => {
      // "If the client transaction is still in the Calling state when timer B fires, the client
      // transaction SHOULD inform the TU that a timeout has occurred."
      if (this.state === S.Calling) this.timeOut();
    });
  }

  /** A response the transaction layer matched to this transaction (§17.1.3). */
  receiveResponse(response: SipResponse): Absorption {
    const status = response.status;
    switch (this.state) {
      case S.Calling:
      case S.Proceeding:
        if (isProvisional(status)) {
          // §17.1.1.2: "In the Proceeding state, the client transaction SHOULD NOT retransmit the
          // request any longer." Timer B only bounds the Calling state.
          if (this.state === S.Calling) this.transition(S.Proceeding);
          this.timers.stop('A');
          this.timers.stop('B');
          this.callUser('onProvisional', () => this.user.onProvisional?.(response));
          return 'delivered';
        }
        if (isSuccess(status)) {
          // RFC 6026 §8.4: "If a 2xx response is received while the client INVITE state machine is
          // in the 'Calling' or 'Proceeding' states, it MUST transition to the 'Accepted' state,
          // pass the 2xx response to the TU, and set Timer M to 64*T1."
          this.transition(S.Accepted);
          this.timers.stop('A');
          this.timers.stop('B');
          this.timers.start('M', this.context.timers.timerM, () => this.terminate('completed'));
          this.callUser('onFinal', () => this.user.onFinal?.(response));
          return 'delivered';
        }
        if (isFinalFailure(status)) {
          this.#complete(response);
          return 'delivered';
        }
        return 'absorbed';
      case S.Completed:
        // §17.1.1.2: "Any retransmissions of the final response that are received while in the
        // Completed state MUST cause the ACK to be re-passed to the transport layer for
        // retransmission, but the newly received response MUST NOT be passed up to the TU."
        if (isFinalFailure(status) && this.#ackText !== undefined && !this.context.send(this.#ackText)) {
          this.failTransport();
        }
        return 'absorbed';
      case S.Accepted:
        // RFC 6026 §8.4: in the Accepted state "any 2xx responses that match this client
        // transaction ... MUST be passed up to the TU"; the TU acknowledges each.
        if (isSuccess(status)) {
          this.callUser('onAdditional2xx', () => this.user.onAdditional2xx?.(response));
          return 'delivered';
        }
        return 'absorbed';
      case S.Terminated:
        return 'absorbed';
    }
  }

  /** 300–699 in Calling or Proceeding. */
  #complete(response: SipResponse): void {
    // §17.1.1.2: "the client transaction MUST transition to the Completed state, and generate an
    // ACK ... This response MUST be passed up to the TU ... The client transaction SHOULD start
    // timer D when it enters the Completed state" (zero on a reliable transport).
    this.transition(S.Completed);
    this.timers.stop('A');
    this.timers.stop('B');
    this.#ackText = serializeMessage(createAckForFailure(this.request, this.#cseq, response));
    const sent = this.context.send(this.#ackText);
    this.callUser('onFinal', () => this.user.onFinal?.(response));
    if (this.isTerminated) return; // the TU disposed the transaction from its callback
    if (!sent) {
      this.failTransport();
      return;
    }
    const d = this.context.timers.timerD;
    if (d === 0) this.terminate('completed');
    else this.timers.start('D', d, () => this.terminate('completed'));
  }

  #startTimerA(interval: number): void {
    this.timers.start('A', interval, () => {
      // §17.1.1.2: "When timer A fires, the client transaction MUST retransmit the request by
      // passing it to the transport layer, and MUST reset the timer with a value of 2*T1."
      if (this.state !== S.Calling) return;
      if (!this.context.send(this.#requestText)) {
        this.failTransport();
        return;
      }
      this.#startTimerA(2 * interval);
    });
  }
}

/**
 * The ACK a client transaction sends for a 3xx–6xx response, §17.1.1.3: Request-URI, Call-ID, From
 * and the single top Via of the request; the To of the response (with its tag); the CSeq number of
 * the request with method ACK; the Route header fields of the request.
 */
export function createAckForFailure(request: SipRequest, cseq: number, response: SipResponse): SipRequest {
  const headers = new SipHeaders();
  // "The ACK MUST contain a single Via header field, and this MUST be equal to the top Via header
  // field of the original request."
  const topVia = request.headers.getAll('Via')[0];
  if (topVia !== undefined) headers.append('Via', topVia);
  headers.append('Max-Forwards', '70');
  for (const name of ['From', 'Call-ID'] as const) {
    const value = request.headers.get(name);
    if (value !== undefined) headers.append(name, value);
  }
  // "The To header field in the ACK MUST equal the To header field in the response being
  // acknowledged, and therefore will usually differ from the To header field in the original
  // request by the addition of the tag parameter."
  const to = response.headers.get('To');
  if (to !== undefined) headers.append('To', to);
  // "the CSeq header field in the ACK MUST contain the same value for the sequence number as was
  // present in the original request, but the method parameter MUST be equal to "ACK"."
  headers.append('CSeq', `${cseq} ACK`);
  // "If the INVITE request whose response is being acknowledged had Route header fields, those
  // header fields MUST appear in the ACK."
  for (const route of request.headers.getAll('Route')) headers.append('Route', route);
  return createRequest('ACK', request.uri, headers);
}
