import { createResponse, SipHeaders, type SipRequest, type SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { InvalidStateError } from '../support/errors';
import { TIMER_64T1_MS, TRYING_DELAY_MS } from './timers';
import {
  Transaction,
  type Absorption,
  type Edges,
  type TerminationHook,
  type TransactionContext,
} from './transaction';

export type InviteServerTransactionState =
  'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';

const EDGES: Edges<InviteServerTransactionState> = {
  Proceeding: ['Completed', 'Accepted'],
  Completed: ['Confirmed'],
};

/**
 * INVITE server transaction, RFC 3261 §17.2.1 (Figure 7) with the Accepted state and Timer L of
 * RFC 6026 §8.7.
 *
 * ```
 *                               |INVITE
 *                               |pass INV to TU
 *            INVITE             V send 100 if TU won't in 200 ms
 *            send response+------------+
 *                +--------|            |--------+ 101-199 from TU
 *                |        | Proceeding |        | send response
 *                +------->|            |<-------+
 *                         +------------+
 *      Transport Err.      |    |     |2xx from TU
 *      Inform TU           |    |     |send response
 *       +------------------+    |     +------------------+
 *       |     300-699 from TU   |                        |
 *       |     send response     |                        |
 *       |                       V                        V
 *       |   INVITE        +-----------+ Timer G    +------------+  INVITE -
 *       |   send response |           | send resp. |            |<--+ ACK to TU
 *       |        +--------| Completed |--------+   |  Accepted  |   | 2xx from TU
 *       |        +------->|           |<-------+   |            |---+ send response
 *       |                 +-----------+            +------------+     Transport Err.
 *       |  Timer H fires or  |      |ACK                  |             inform TU
 *       |  Transport Err.    |      |-                    |
 *       |  inform TU         |      V                     |
 *       |                    |  +-----------+             |
 *       |                    |  | Confirmed |---+ ACK     |
 *       |                    |  |           |<--+ -       |
 *       |                    |  +-----------+             |
 *       |                    |      |Timer I fires        |Timer L fires
 *       |                    |      |-                    |-
 *       |                    V      V                     |
 *       |                 +--------------------------+    |
 *       +---------------->|        Terminated        |<---+
 *                         +--------------------------+
 * ```
 *
 * The 2xx itself is retransmitted by the TU (§13.3.1.4), not here: the Accepted state only absorbs
 * INVITE retransmissions and passes ACKs up, until Timer L. Over our reliable transport (timers.ts)
 * Timer G never runs and Timer I is zero, so Confirmed is left as soon as it is entered.
 */
export class InviteServerTransaction extends Transaction<InviteServerTransactionState> {
  /** The most recent response sent (including an automatic 100 Trying). */
  #lastText: string | undefined;

  /**
   * @param request the INVITE that created the transaction.
   * @param onTerminated called once when the transaction ends (the layer drops it from its table).
   */
  constructor(request: SipRequest, context: TransactionContext, onTerminated?: TerminationHook) {
    super(request, 'Proceeding', EDGES, context, onTerminated);
  }

  /** Starts the 200 ms wait after which a 100 (Trying) is sent for the TU (§17.2.1). */
  override start(): void {
    // §17.2.1: "the server transaction MUST generate a 100 (Trying) response unless it knows that
    // the TU will generate a provisional or final response within 200 ms, in which case it MAY
    // generate a 100 (Trying) response."
    this.after(TRYING_DELAY_MS, () => this.#sendTrying());
  }

  /**
   * Sends a response from the TU.
   * @throws InvalidStateError for a response the current state does not accept: anything after a
   *   3xx–6xx, anything but a further 2xx once accepted, anything once terminated.
   */
  respond(response: SipResponse): void {
    const status = response.status;
    const state = this.state;
    if (status >= 200 && status < 300 && (state === 'Proceeding' || state === 'Accepted')) {
      // RFC 6026 §8.7: "If, while in the "Proceeding" state, the TU passes a 2xx response to the
      // server transaction, the server transaction MUST pass this response to the transport layer
      // for transmission ... The server transaction MUST then transition to the "Accepted" state"
      // and start Timer L with a value of 64*T1.
      if (state === 'Proceeding') {
        this.transition('Accepted');
        this.after(TIMER_64T1_MS, () => this.terminate('completed'));
      }
      // In Accepted, "2xx from TU / send response" are the TU's own retransmissions (§13.3.1.4). A
      // failure only informs the TU: the transaction stays to absorb INVITE retransmissions until
      // Timer L.
      if (!this.send(this.#remember(response), false)) this.notify('onTransportError');
    } else if (state !== 'Proceeding') {
      throw new InvalidStateError(`${status} in ${state}`);
    } else if (status < 200) {
      // §17.2.1: "The TU passes any number of provisional responses to the server transaction. So
      // long as the server transaction is in the "Proceeding" state, each of these MUST be passed
      // to the transport layer for transmission."
      this.send(this.#remember(response));
    } else {
      // §17.2.1: "If, while in the "Proceeding" state, the TU passes a response with status code
      // from 300 to 699 to the server transaction, the response MUST be passed to the transport
      // layer for transmission, and the state machine MUST enter the "Completed" state. For
      // unreliable transports, timer G is set to fire in T1 seconds ... For any transport, timer H
      // MUST be set to fire in 64*T1 seconds." "If timer H fires while in the "Completed" state, it
      // implies that the ACK was never received. In this case, the server transaction MUST
      // transition to the "Terminated" state, and MUST indicate to the TU that a transaction
      // failure has occurred."
      this.transition('Completed');
      this.sendAndWait(this.#remember(response));
    }
  }

  /** A retransmission of the INVITE, as matched by the transaction layer (§17.2.3). Always absorbed. */
  receiveRequest(): void {
    // §17.2.1: "If a request retransmission is received while in the "Proceeding" state, the most
    // recent provisional response that was received from the TU MUST be passed to the transport
    // layer for retransmission." "while in the "Completed" state, if a request retransmission is
    // received, the server SHOULD pass the response to the transport for retransmission."
    // Accepted (RFC 6026 §8.7): "INVITE / -".
    // NOTE: when nothing was sent yet we send the 100 (Trying) at once: the retransmission shows
    // that the client is already waiting, and the 200 ms allowance only bounds the delay.
    if (this.#lastText === undefined) this.#sendTrying();
    else if (this.state !== 'Accepted') this.send(this.#lastText);
  }

  /**
   * An ACK matched to this transaction. In Completed it confirms the 3xx–6xx and is absorbed; in
   * Accepted it belongs to the TU (RFC 6026 §8.7: "ACK / to TU"), reported as `delivered`.
   */
  receiveAck(): Absorption {
    if (this.state === 'Accepted') return 'delivered';
    if (this.state === 'Completed') {
      // §17.2.1: "If an ACK is received while the server transaction is in the "Completed"
      // state, the server transaction MUST transition to the "Confirmed" state." ... "timer I is
      // set to fire in T4 seconds for unreliable transports, and zero seconds for reliable".
      this.transition('Confirmed');
      this.terminate('completed');
    }
    return 'absorbed';
  }

  /** The automatic 100 (Trying), unless the TU has already sent a response of its own. */
  #sendTrying(): void {
    if (this.#lastText === undefined) this.send(this.#remember(createTrying(this.request)));
  }

  #remember(response: SipResponse): string {
    return (this.#lastText = serializeMessage(response));
  }
}

/**
 * The 100 (Trying) a server transaction sends on the TU's behalf, §8.2.6: From, To, Call-ID, CSeq
 * and every Via copied from the request (in order), Timestamp echoed; the To tag is not needed
 * ("with the exception of the 100 (Trying) response, in which a tag MAY be present").
 */
export function createTrying(request: SipRequest): SipResponse {
  const headers = new SipHeaders();
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Timestamp']) {
    headers.set(name, request.headers.getAll(name));
  }
  return createResponse(100, 'Trying', headers);
}
