import { getCSeq } from '../message/headers';
import { createRequest, SipHeaders, type SipRequest, type SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { InvalidArgumentError } from '../support/errors';
import {
  Transaction,
  type ClientTransactionUser,
  type Edges,
  type TerminationHook,
  type TransactionContext,
} from './transaction';

export type InviteClientTransactionState = 'Calling' | 'Proceeding' | 'Completed' | 'Accepted' | 'Terminated';

/** The edges of Figure 5 as updated by RFC 6026 §8.4 (drawn on the class). */
const EDGES: Edges<InviteClientTransactionState> = {
  Calling: ['Proceeding', 'Completed', 'Accepted', 'Terminated'],
  Proceeding: ['Completed', 'Accepted'],
  Completed: ['Terminated'],
  Accepted: ['Terminated'],
  Terminated: [],
};

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
export class InviteClientTransaction extends Transaction<InviteClientTransactionState> {
  readonly #requestText: string;
  readonly #cseq: number;
  #ackText: string | undefined;

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
    super(request, true, 'Calling', EDGES, context, onTerminated, user);
    const cseq = getCSeq(request);
    if (!cseq.ok) throw new InvalidArgumentError('bad CSeq');
    this.#cseq = cseq.value.seq;
    this.#requestText = serializeMessage(request);
  }

  /** Sends the INVITE and starts Timers A and B. */
  override start(): void {
    const { timerA, timerB } = this.timers;
    // §17.1.1.2: "If an unreliable transport is being used, the client transaction MUST start
    // timer A with a value of T1." "When timer A fires, the client transaction MUST retransmit the
    // request by passing it to the transport layer, and MUST reset the timer with a value of 2*T1."
    // "For any transport, the client transaction MUST start timer B" ... "If the client
    // transaction is still in the Calling state when timer B fires, the client transaction SHOULD
    // inform the TU that a timeout has occurred." (Leaving Calling stops A and B.)
    this.sendAndWait(this.#requestText, timerA, (interval) => 2 * interval, timerB);
  }

  /**
   * A response the transaction layer matched to this transaction (§17.1.3). What the TU must see
   * reaches it through its callbacks; the rest (retransmissions) is absorbed here.
   */
  receiveResponse(response: SipResponse): void {
    const status = response.status;
    const state = this.state;
    if (state === 'Calling' || state === 'Proceeding') {
      if (status < 200) {
        // §17.1.1.2: "In the Proceeding state, the client transaction SHOULD NOT retransmit the
        // request any longer." Timer B only bounds the Calling state.
        if (state === 'Calling') this.transition('Proceeding');
        this.notify('onProvisional', response);
      } else if (status < 300) {
        // RFC 6026 §8.4: "If a 2xx response is received while the client INVITE state machine is
        // in the 'Calling' or 'Proceeding' states, it MUST transition to the 'Accepted' state,
        // pass the 2xx response to the TU, and set Timer M to 64*T1."
        this.transition('Accepted');
        this.endAfter(this.timers.timerM);
        this.notify('onFinal', response);
      } else {
        this.#complete(response);
      }
    } else if (state === 'Completed' && status >= 300) {
      // §17.1.1.2: "Any retransmissions of the final response that are received while in the
      // Completed state MUST cause the ACK to be re-passed to the transport layer for
      // retransmission, but the newly received response MUST NOT be passed up to the TU."
      this.send(this.#ackText!);
    } else if (state === 'Accepted' && status >= 200 && status < 300) {
      // RFC 6026 §8.4: in the Accepted state "any 2xx responses that match this client
      // transaction ... MUST be passed up to the TU"; the TU acknowledges each.
      this.notify('onAdditional2xx', response);
    }
  }

  /** 300–699 in Calling or Proceeding. */
  #complete(response: SipResponse): void {
    // §17.1.1.2: "the client transaction MUST transition to the Completed state, and generate an
    // ACK ... This response MUST be passed up to the TU ... The client transaction SHOULD start
    // timer D when it enters the Completed state" (zero on a reliable transport).
    this.transition('Completed');
    this.#ackText = serializeMessage(createAckForFailure(this.request, this.#cseq, response));
    const sent = this.send(this.#ackText, false);
    this.notify('onFinal', response);
    if (this.isTerminated) return; // the TU disposed the transaction from its callback
    if (sent) this.endAfter(this.timers.timerD);
    else this.failTransport();
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
  // field of the original request." "If the INVITE request whose response is being acknowledged
  // had Route header fields, those header fields MUST appear in the ACK."
  headers.set('Via', request.headers.getAll('Via').slice(0, 1));
  for (const name of ['From', 'Call-ID', 'Route']) headers.set(name, request.headers.getAll(name));
  // "The To header field in the ACK MUST equal the To header field in the response being
  // acknowledged, and therefore will usually differ from the To header field in the original
  // request by the addition of the tag parameter."
  headers.set('To', response.headers.getAll('To'));
  // "the CSeq header field in the ACK MUST contain the same value for the sequence number as was
  // present in the original request, but the method parameter MUST be equal to "ACK"."
  headers.append('CSeq', `${cseq} ACK`);
  headers.append('Max-Forwards', '70');
  return createRequest('ACK', request.uri, headers);
}
