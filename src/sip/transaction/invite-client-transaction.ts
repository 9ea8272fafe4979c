import { createRequest, SipHeaders, type SipRequest, type SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { TIMER_64T1_MS } from './timers';
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
  Calling: ['Proceeding', 'Completed', 'Accepted'],
  Proceeding: ['Completed', 'Accepted'],
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
 *
 * Over our reliable transport (timers.ts) Timer A never runs and Timer D is zero, so Completed is
 * left as soon as it is entered: no retransmitted final response can arrive to be re-ACKed.
 */
export class InviteClientTransaction extends Transaction<InviteClientTransactionState> {
  /**
   * @param request the INVITE, complete with its top Via and CSeq (the transaction layer checks them).
   * @param onTerminated called once when the transaction ends (the layer drops it from its table).
   */
  constructor(
    request: SipRequest,
    user: ClientTransactionUser,
    context: TransactionContext,
    onTerminated?: TerminationHook,
  ) {
    super(request, 'Calling', EDGES, context, onTerminated, user);
  }

  /** Sends the INVITE and starts Timer B. */
  override start(): void {
    // §17.1.1.2: "If an unreliable transport is being used, the client transaction MUST start
    // timer A" (not ours). "For any transport, the client transaction MUST start timer B" ... "If
    // the client transaction is still in the Calling state when timer B fires, the client
    // transaction SHOULD inform the TU that a timeout has occurred." (Leaving Calling stops B.)
    this.sendAndWait(serializeMessage(this.request));
  }

  /**
   * A response the transaction layer matched to this transaction (§17.1.3). What the TU must see
   * reaches it through its callbacks; the rest is absorbed here.
   */
  receiveResponse(response: SipResponse): void {
    const status = response.status;
    const state = this.state;
    if (state === 'Accepted') {
      // RFC 6026 §8.4: in the Accepted state "any 2xx responses that match this client
      // transaction ... MUST be passed up to the TU"; the TU acknowledges each.
      if (status >= 200 && status < 300) this.notify('onAdditional2xx', response);
    } else if (state !== 'Calling' && state !== 'Proceeding') {
      // Terminated (Completed is left at once, see above): a late response has nothing to change.
      return;
    } else if (status < 200) {
      // §17.1.1.2: "In the Proceeding state, the client transaction SHOULD NOT retransmit the
      // request any longer." Timer B only bounds the Calling state.
      if (state === 'Calling') this.transition('Proceeding');
      this.notify('onProvisional', response);
    } else if (status < 300) {
      // RFC 6026 §8.4: "If a 2xx response is received while the client INVITE state machine is
      // in the 'Calling' or 'Proceeding' states, it MUST transition to the 'Accepted' state,
      // pass the 2xx response to the TU, and set Timer M to 64*T1."
      this.transition('Accepted');
      this.after(TIMER_64T1_MS, () => this.terminate('completed'));
      this.notify('onFinal', response);
    } else {
      // §17.1.1.2: "the client transaction MUST transition to the Completed state, and generate an
      // ACK ... This response MUST be passed up to the TU ... The client transaction SHOULD start
      // timer D when it enters the Completed state", zero on a reliable transport.
      this.transition('Completed');
      const sent = this.send(serializeMessage(createAckForFailure(this.request, response)), false);
      this.notify('onFinal', response);
      this.terminate(sent ? 'completed' : 'transport-error');
    }
  }
}

/**
 * The ACK a client transaction sends for a 3xx–6xx response, §17.1.1.3: Request-URI, Call-ID, From
 * and the single top Via of the request; the To of the response (with its tag); the CSeq number of
 * the request with method ACK; the Route header fields of the request.
 */
export function createAckForFailure(request: SipRequest, response: SipResponse): SipRequest {
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
  headers.set(
    'CSeq',
    request.headers.getAll('CSeq').map((cseq) => cseq.replace('INVITE', 'ACK')),
  );
  headers.append('Max-Forwards', '70');
  return createRequest('ACK', request.uri, headers);
}
