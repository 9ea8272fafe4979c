import { getCSeq, getVias } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import type { Clock } from '../support/clock';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import { silentLogger, type Logger } from '../support/logger';
import type { Random } from '../support/random';
import type { Transport } from '../transport/transport';
import { InviteClientTransaction } from './invite-client-transaction';
import { InviteServerTransaction } from './invite-server-transaction';
import { NonInviteClientTransaction } from './non-invite-client-transaction';
import { NonInviteServerTransaction } from './non-invite-server-transaction';
import type { ClientTransactionUser, TransactionContext } from './transaction';
import { clientKey, serverKey } from './transaction-matching';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

export interface TransactionLayerOptions {
  /**
   * Only `send`, `viaTransport` and `viaHost` are used. The transport is a WebSocket flow (`WS` or
   * `WSS`), reliable per RFC 7118, so the transactions never retransmit (see timers.ts).
   */
  readonly transport: Pick<Transport, 'send' | 'viaTransport' | 'viaHost'>;
  readonly clock: Clock;
  /** Source of Via branches. */
  readonly random: Pick<Random, 'branch'>;
  readonly logger?: Logger;
}

/** What {@link TransactionLayer.receiveResponse} did with a response. */
export type ResponseDisposition =
  /** Matched: the client transaction passed it to its TU's callbacks, or absorbed it. */
  | { readonly kind: 'matched' }
  /**
   * No transaction matches. The UA core decides: a 2xx to an INVITE whose transaction already ended
   * is re-ACKed by the dialog (§13.2.2.4); anything else is dropped.
   */
  | { readonly kind: 'stray'; readonly response: SipResponse };

/** What {@link TransactionLayer.receiveRequest} did with a request. */
export type RequestDisposition =
  /**
   * A new server transaction was created: the UA core passes the request to its TU, which answers
   * through `transaction.respond()`. For a CANCEL, `cancels` is the INVITE server transaction it
   * targets, found as §9.2 prescribes, if any.
   */
  | {
      readonly kind: 'new';
      readonly transaction: ServerTransaction;
      readonly cancels?: InviteServerTransaction;
    }
  /** A retransmission (or the ACK of a 3xx–6xx), handled by its server transaction. */
  | { readonly kind: 'absorbed' }
  /**
   * An ACK for the TU: the ACK of a 2xx, either matched to an INVITE server transaction in the
   * Accepted state (RFC 6026 §8.7) or matching none (it is its own transaction, §17).
   */
  | { readonly kind: 'ack'; readonly request: SipRequest }
  /**
   * No transaction can be created: the UA core answers 400 if it can, or drops it. `reason` is the
   * reason phrase for that 400, naming the bad header field (§21.4.1).
   */
  | { readonly kind: 'malformed'; readonly reason: string };

/**
 * The transaction layer, RFC 3261 §17: creates client transactions for the TU, matches incoming
 * responses and requests to transactions (§17.1.3, §17.2.3; see transaction-matching.ts), creates
 * server transactions for new requests, and forgets each transaction when it terminates.
 *
 * The UA core feeds it parsed messages and acts on the returned disposition; it never sees a
 * retransmission.
 */
export class TransactionLayer {
  readonly #transport: TransactionLayerOptions['transport'];
  readonly #random: Pick<Random, 'branch'>;
  readonly #context: TransactionContext;
  readonly #clients = new Map<string, ClientTransaction>();
  /** Keyed by {@link serverKey}, or by a fresh symbol for a request that has none (it matches nothing). */
  readonly #servers = new Map<string | symbol, ServerTransaction>();

  constructor(options: TransactionLayerOptions) {
    this.#transport = options.transport;
    this.#random = options.random;
    this.#context = {
      clock: options.clock,
      send: (text) => this.#transport.send(text),
      logger: (options.logger ?? silentLogger).child('transaction'),
    };
  }

  /**
   * Starts a client transaction for `request` (§17.1): an INVITE client transaction for INVITE, a
   * non-INVITE one otherwise. The request is copied; when it has no Via, the copy gets
   * `Via: SIP/2.0/<WS|WSS> <viaHost>;branch=z9hG4bK…;rport` (§8.1.1.7, RFC 7118 §5.2, RFC 3581).
   * A request that already has a Via (a CANCEL, §9.1) keeps it, and its branch.
   *
   * The user's callbacks may run before this returns (a failed first send).
   *
   * @throws InvalidArgumentError for an ACK, which is never a client transaction of its own (§17.1;
   *   use {@link sendAck}), or a Via without a branch.
   * @throws InvalidStateError when a transaction with the same branch and method is already live.
   */
  sendRequest(request: SipRequest, user: ClientTransactionUser = {}): ClientTransaction {
    if (request.method === 'ACK') throw new InvalidArgumentError('ACK');
    const outgoing = this.#withVia(request);
    const key = clientKey(outgoing);
    if (key === undefined) throw new InvalidArgumentError('no branch or CSeq');
    if (this.#clients.has(key)) throw new InvalidStateError(`duplicate ${key}`);
    // Called only when the transaction terminates, which is after `transaction` is initialised.
    const forget = (): void => {
      if (this.#clients.get(key) === transaction) this.#clients.delete(key);
    };
    const transaction: ClientTransaction =
      outgoing.method === 'INVITE'
        ? new InviteClientTransaction(outgoing, user, this.#context, forget)
        : new NonInviteClientTransaction(outgoing, user, this.#context, forget);
    this.#clients.set(key, transaction);
    transaction.start();
    return transaction;
  }

  /**
   * Sends the ACK of a 2xx, which the UAC core sends itself, outside any transaction (§13.2.2.4,
   * §17). Adds a Via with a fresh branch when the ACK has none. Returns false when the transport
   * refused it.
   * @throws InvalidArgumentError when the request is not an ACK.
   */
  sendAck(ack: SipRequest): boolean {
    if (ack.method !== 'ACK') throw new InvalidArgumentError('not an ACK');
    return this.#transport.send(serializeMessage(this.#withVia(ack)));
  }

  /** A response from the transport, parsed by the UA core. Never throws on untrusted input. */
  receiveResponse(response: SipResponse): ResponseDisposition {
    const transaction = this.#clients.get(clientKey(response) ?? '');
    if (transaction === undefined) return { kind: 'stray', response };
    transaction.receiveResponse(response);
    return { kind: 'matched' };
  }

  /** A request from the transport, parsed by the UA core. Never throws on untrusted input. */
  receiveRequest(request: SipRequest): RequestDisposition {
    if (!getVias(request).ok) return { kind: 'malformed', reason: 'Bad Request (Via)' };
    const cseq = getCSeq(request);
    // §8.1.1.5: the CSeq method "MUST match that of the request".
    if (!cseq.ok || cseq.value.method !== request.method)
      return { kind: 'malformed', reason: 'Bad Request (CSeq)' };

    const existing = this.#findServer(request);
    if (request.method === 'ACK') {
      // An ACK's key names INVITE (§17.2.3), so only an INVITE server transaction can match it.
      return existing instanceof InviteServerTransaction && existing.receiveAck() === 'absorbed'
        ? { kind: 'absorbed' }
        : { kind: 'ack', request };
    }
    if (existing !== undefined) {
      existing.receiveRequest();
      return { kind: 'absorbed' };
    }
    return this.#createServer(request);
  }

  /** Ends every live transaction (reason `disposed`) and clears the tables. */
  dispose(): void {
    // Each transaction leaves its table as it terminates.
    for (const t of [...this.#clients.values(), ...this.#servers.values()]) t.dispose();
  }

  #createServer(request: SipRequest): RequestDisposition {
    const key = serverKey(request) ?? Symbol();
    const forget = (): void => {
      if (this.#servers.get(key) === transaction) this.#servers.delete(key);
    };
    const transaction: ServerTransaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(request, this.#context, forget)
        : new NonInviteServerTransaction(request, this.#context, forget);
    this.#servers.set(key, transaction);
    transaction.start();
    // §9.2: "The TU determines the transaction to be cancelled by taking the CANCEL request, and then
    // assuming that the request method is anything but CANCEL or ACK and applying the transaction
    // matching procedures of Section 17.2.3." Only an INVITE can be cancelled in effect.
    const target = request.method === 'CANCEL' ? this.#findServer(request, 'INVITE') : undefined;
    return {
      kind: 'new',
      transaction,
      cancels: target instanceof InviteServerTransaction ? target : undefined,
    };
  }

  /** §17.2.3 (magic-cookie branches only, see transaction-matching.ts). */
  #findServer(request: SipRequest, asMethod?: string): ServerTransaction | undefined {
    return this.#servers.get(serverKey(request, asMethod) ?? '');
  }

  /** A copy of the request whose headers the caller can no longer change, with a top Via. */
  #withVia(request: SipRequest): SipRequest {
    const headers = request.headers.clone();
    if (!headers.has('Via')) {
      const { viaTransport, viaHost } = this.#transport;
      headers.prepend('Via', `SIP/2.0/${viaTransport} ${viaHost};branch=${this.#random.branch()};rport`);
    }
    return { ...request, headers };
  }
}
