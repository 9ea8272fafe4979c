import { createResponse, SipHeaders, type SipRequest, type SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import { nextCappedInterval, TRYING_DELAY_MS } from './timers';
import {
  isProvisional,
  isSuccess,
  TransactionStateMachine,
  type Absorption,
  type ServerTransactionUser,
  type TerminationHook,
  type TransactionContext,
} from './transaction';

export enum InviteServerTransactionState {
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Confirmed = 'Confirmed',
  Accepted = 'Accepted',
  Terminated = 'Terminated',
}

const S = InviteServerTransactionState;

const EDGES: Readonly<Record<InviteServerTransactionState, readonly InviteServerTransactionState[]>> = {
  [S.Proceeding]: [S.Completed, S.Accepted, S.Terminated],
  [S.Completed]: [S.Confirmed, S.Terminated],
  [S.Confirmed]: [S.Terminated],
  [S.Accepted]: [S.Terminated],
  [S.Terminated]: [],
};

type TimerName = 'Trying' | 'G' | 'H' | 'I' | 'L';

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
 * INVITE retransmissions and passes ACKs up, until Timer L.
 */
export class InviteServerTransaction extends TransactionStateMachine<
  InviteServerTransactionState,
  TimerName,
  ServerTransactionUser
> {
  readonly kind = 'invite-server';
  readonly request: SipRequest;
  #lastResponse: SipResponse | undefined;
  #lastResponseText: string | undefined;
  #started = false;

  /**
   * @param request the INVITE that created the transaction.
   * @param onTerminated called once when the transaction ends (the layer drops it from its table).
   * @throws InvalidArgumentError when the request is not an INVITE.
   */
  constructor(request: SipRequest, context: TransactionContext, onTerminated?: TerminationHook) {
    super(S.Proceeding, S.Terminated, EDGES, {}, context, onTerminated);
    if (request.method !== 'INVITE')
      throw new InvalidArgumentError(`expected an INVITE, got ${request.method}`);
    this.request = request;
  }

  /** The most recent response sent, if any (including an automatic 100 Trying). */
  get lastResponse(): SipResponse | undefined {
    return this.#lastResponse;
  }

  /** Sets the TU callbacks: the TU learns of a server transaction only after it was created. */
  setUser(user: ServerTransactionUser): void {
    this.user = user;
  }

  /**
   * Starts the 200 ms wait after which a 100 (Trying) is sent for the TU (§17.2.1).
   * @throws InvalidStateError when called twice.
   */
  start(): void {
    if (this.#started) throw new InvalidStateError('the INVITE server transaction is already started');
    this.#started = true;
    // §17.2.1: "the server transaction MUST generate a 100 (Trying) response unless it knows that
    // the TU will generate a provisional or final response within 200 ms, in which case it MAY
    // generate a 100 (Trying) response."
    this.timers.start('Trying', TRYING_DELAY_MS, () => this.#sendTrying());
  }

  /**
   * Sends a response from the TU.
   * @throws InvalidStateError for a response the current state does not accept: anything after a
   *   3xx–6xx, anything but a further 2xx once accepted, anything once terminated.
   * @throws InvalidArgumentError for a status outside 100–699.
   */
  respond(response: SipResponse): void {
    const status = response.status;
    if (status < 100 || status > 699) throw new InvalidArgumentError(`invalid response status ${status}`);
    if (this.state === S.Accepted && isSuccess(status)) {
      // RFC 6026 §8.7: "2xx from TU / send response" in the Accepted state, e.g. the TU's own
      // retransmissions of the 2xx (§13.3.1.4).
      this.#send(response);
      return;
    }
    if (this.state !== S.Proceeding) {
      throw new InvalidStateError(`cannot send ${status} in the ${this.state} state`);
    }
    this.timers.stop('Trying');
    if (isProvisional(status)) {
      // §17.2.1: "The TU passes any number of provisional responses to the server transaction. So
      // long as the server transaction is in the "Proceeding" state, each of these MUST be passed
      // to the transport layer for transmission."
      if (!this.#send(response)) this.failTransport();
      return;
    }
    if (isSuccess(status)) {
      // RFC 6026 §8.7: "If, while in the "Proceeding" state, the TU passes a 2xx response to the
      // server transaction, the server transaction MUST pass this response to the transport layer
      // for transmission ... The server transaction MUST then transition to the "Accepted" state"
      // and start Timer L with a value of 64*T1.
      this.transition(S.Accepted);
      this.timers.start('L', this.context.timers.timerL, () => this.terminate('completed'));
      this.#send(response);
      return;
    }
    this.#complete(response);
  }

  /** A retransmission of the INVITE, as matched by the transaction layer (§17.2.3). Always absorbed. */
  receiveRequest(): 'absorbed' {
    switch (this.state) {
      case S.Proceeding:
        // §17.2.1: "If a request retransmission is received while in the "Proceeding" state, the
        // most recent provisional response that was received from the TU MUST be passed to the
        // transport layer for retransmission."
        // NOTE: when nothing was sent yet we send the 100 (Trying) at once: the retransmission shows
        // that the client is already waiting, and the 200 ms allowance only bounds the delay.
        if (this.#lastResponseText === undefined) this.#sendTrying();
        else if (!this.context.send(this.#lastResponseText)) this.failTransport();
        break;
      case S.Completed:
        // "while in the "Completed" state, if a request retransmission is received, the server
        // SHOULD pass the response to the transport for retransmission."
        if (this.#lastResponseText !== undefined && !this.context.send(this.#lastResponseText)) {
          this.failTransport();
        }
        break;
      default:
        // Confirmed: absorbs stragglers. Accepted (RFC 6026 §8.7): "INVITE / -".
        break;
    }
    return 'absorbed';
  }

  /**
   * An ACK matched to this transaction. In Completed it confirms the 3xx–6xx and is absorbed; in
   * Accepted it belongs to the TU (RFC 6026 §8.7: "ACK / to TU"), reported as `delivered`.
   */
  receiveAck(): Absorption {
    switch (this.state) {
      case S.Completed:
        // §17.2.1: "If an ACK is received while the server transaction is in the "Completed"
        // state, the server transaction MUST transition to the "Confirmed" state." ... "timer I is
        // set to fire in T4 seconds for unreliable transports, and zero seconds for reliable".
        this.transition(S.Confirmed);
        this.timers.stop('G');
        this.timers.stop('H');
        if (this.context.timers.timerI === 0) this.terminate('completed');
        else this.timers.start('I', this.context.timers.timerI, () => this.terminate('completed'));
        return 'absorbed';
      case S.Accepted:
        return 'delivered';
      default:
        return 'absorbed';
    }
  }

  /** 300–699 from the TU in Proceeding. */
  #complete(response: SipResponse): void {
    // §17.2.1: "If, while in the "Proceeding" state, the TU passes a response with status code from
    // 300 to 699 to the server transaction, the response MUST be passed to the transport layer for
    // transmission, and the state machine MUST enter the "Completed" state. For unreliable
    // transports, timer G is set to fire in T1 seconds ... For any transport, timer H MUST be set
    // to fire in 64*T1 seconds."
    this.transition(S.Completed);
    if (!this.#send(response)) {
      this.failTransport();
      return;
    }
    const g = this.context.timers.timerG;
    if (g !== undefined) this.#startTimerG(g);
    // "If timer H fires while in the "Completed" state, it implies that the ACK was never
    // received. In this case, the server transaction MUST transition to the "Terminated" state,
    // and MUST indicate to the TU that a transaction failure has occurred."
    this.timers.start('H', this.context.timers.timerH, () => this.timeOut());
  }

  #startTimerG(interval: number): void {
    this.timers.start('G', interval, () => {
      // §17.2.1: "If timer G fires, the response is passed to the transport layer once more for
      // retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds."
      if (this.#lastResponseText === undefined || !this.context.send(this.#lastResponseText)) {
        this.failTransport();
        return;
      }
      this.#startTimerG(nextCappedInterval(interval, this.context.timers.t2));
    });
  }

  #sendTrying(): void {
    if (this.state !== S.Proceeding || this.#lastResponse !== undefined) return;
    if (!this.#send(createTrying(this.request))) this.failTransport();
  }

  /**
   * Sends and remembers a response. A failure in Accepted only informs the TU (RFC 6026 §8.7
   * keeps the transaction to absorb retransmissions until Timer L); elsewhere the caller ends the
   * transaction.
   */
  #send(response: SipResponse): boolean {
    this.timers.stop('Trying');
    this.#lastResponse = response;
    this.#lastResponseText = serializeMessage(response);
    const sent = this.context.send(this.#lastResponseText);
    if (!sent && this.state === S.Accepted) {
      this.context.logger.warn('send() | transport error in Accepted');
      this.callUser('onTransportError', () => this.user.onTransportError?.());
    }
    return sent;
  }
}

/**
 * The 100 (Trying) a server transaction sends on the TU's behalf, §8.2.6: From, To, Call-ID, CSeq
 * and every Via copied from the request (in order), Timestamp echoed; the To tag is not needed
 * ("with the exception of the 100 (Trying) response, in which a tag MAY be present").
 */
export function createTrying(request: SipRequest): SipResponse {
  const headers = new SipHeaders();
  for (const via of request.headers.getAll('Via')) headers.append('Via', via);
  for (const name of ['From', 'To', 'Call-ID', 'CSeq', 'Timestamp'] as const) {
    const value = request.headers.get(name);
    if (value !== undefined) headers.append(name, value);
  }
  return createResponse(100, 'Trying', headers);
}
