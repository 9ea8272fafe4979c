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
import { transactionTimers, type TimerSettings } from './timers';
import type { ClientTransactionUser, TransactionContext } from './transaction';
import {
  clientKey,
  clientKeyOfResponse,
  matchesRfc2543,
  rfc3261Branch,
  serverKey,
} from './transaction-matching';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

export interface TransactionLayerOptions {
  /** Only `send`, `viaTransport` and `viaHost` are used. */
  readonly transport: Pick<Transport, 'send' | 'viaTransport' | 'viaHost'>;
  readonly clock: Clock;
  /** Source of Via branches. */
  readonly random: Pick<Random, 'branch'>;
  readonly logger?: Logger;
  /**
   * Whether the transport is reliable (§17.1.1.2, Table 4). A WebSocket is (RFC 7118), hence the
   * default `true`: no retransmission timers and zero linger times.
   */
  readonly reliable?: boolean;
  /** T1, T2, T4 overrides (§17.1.1.1). */
  readonly timers?: Partial<TimerSettings>;
}

/** What {@link TransactionLayer.receiveResponse} did with a response. */
export type ResponseDisposition =
  /** Matched; the client transaction passed it to its TU (a delegate callback ran). */
  | { readonly kind: 'delivered'; readonly transaction: ClientTransaction }
  /** Matched and consumed inside the transaction (a retransmission, an ACK re-sent). */
  | { readonly kind: 'absorbed'; readonly transaction: ClientTransaction }
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
  | { readonly kind: 'absorbed'; readonly transaction: ServerTransaction }
  /**
   * An ACK for the TU: the ACK of a 2xx, either matched to an INVITE server transaction in the
   * Accepted state (RFC 6026 §8.7) or matching none (it is its own transaction, §17).
   */
  | { readonly kind: 'ack'; readonly request: SipRequest; readonly transaction?: InviteServerTransaction }
  /** No transaction can be created: the UA core answers 400 if it can, or drops it. */
  | { readonly kind: 'malformed'; readonly reason: string };

/**
 * The transaction layer, RFC 3261 §17: creates client transactions for the TU, matches incoming
 * responses and requests to transactions (§17.1.3, §17.2.3, with the RFC 2543 fallback), creates
 * server transactions for new requests, and forgets each transaction when it terminates.
 *
 * The UA core feeds it parsed messages and acts on the returned disposition; it never sees a
 * retransmission.
 */
export class TransactionLayer {
  readonly #transport: TransactionLayerOptions['transport'];
  readonly #random: Pick<Random, 'branch'>;
  readonly #logger: Logger;
  readonly #context: TransactionContext;
  readonly #clients = new Map<string, ClientTransaction>();
  readonly #servers = new Map<string, ServerTransaction>();
  /** Server transactions created by requests without the magic cookie, matched by §17.2.3's fallback. */
  readonly #legacyServers = new Set<ServerTransaction>();

  constructor(options: TransactionLayerOptions) {
    this.#transport = options.transport;
    this.#random = options.random;
    this.#logger = (options.logger ?? silentLogger).child('transaction');
    this.#context = {
      clock: options.clock,
      timers: transactionTimers(options.reliable ?? true, options.timers),
      send: (text) => this.#transport.send(text),
      logger: this.#logger,
    };
  }

  /** Live client transactions (for diagnostics and tests). */
  get clientTransactionCount(): number {
    return this.#clients.size;
  }

  /** Live server transactions (for diagnostics and tests). */
  get serverTransactionCount(): number {
    return this.#servers.size + this.#legacyServers.size;
  }

  /**
   * Starts a client transaction for `request` (§17.1): an INVITE client transaction for INVITE, a
   * non-INVITE one otherwise. The request is copied; when it has no Via, the copy gets
   * `Via: SIP/2.0/<WS|WSS> <viaHost>;branch=z9hG4bK…;rport` (§8.1.1.7, RFC 7118 §5.2, RFC 3581).
   * A request that already has a Via (a CANCEL, §9.1) keeps it, and its branch.
   *
   * The user's callbacks may run before this returns (a failed first send).
   *
   * @throws InvalidArgumentError for an ACK (use {@link sendAck}) or a Via without a branch.
   * @throws InvalidStateError when a transaction with the same branch and method is already live.
   */
  sendRequest(request: SipRequest, user: ClientTransactionUser = {}): ClientTransaction {
    if (request.method === 'ACK') {
      throw new InvalidArgumentError('an ACK is never a client transaction (§17.1): use sendAck()');
    }
    const outgoing = this.#withVia(request);
    const branch = this.#branchOf(outgoing);
    const key = clientKey(branch, outgoing.method);
    if (this.#clients.has(key)) {
      throw new InvalidStateError(
        `a ${outgoing.method} client transaction with branch ${branch} is already live`,
      );
    }
    // Called only when the transaction terminates, which is after `transaction` is initialised.
    const forget = (): void => {
      if (this.#clients.get(key) === transaction) this.#clients.delete(key);
    };
    const transaction: ClientTransaction =
      outgoing.method === 'INVITE'
        ? new InviteClientTransaction(outgoing, user, this.#context, forget)
        : new NonInviteClientTransaction(outgoing, user, this.#context, forget);
    this.#clients.set(key, transaction);
    this.#logger.debug(`sendRequest() | ${outgoing.method}`, { branch });
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
    if (ack.method !== 'ACK') throw new InvalidArgumentError(`sendAck() needs an ACK, got ${ack.method}`);
    return this.#transport.send(serializeMessage(this.#withVia(ack)));
  }

  /** A response from the transport, parsed by the UA core. Never throws on untrusted input. */
  receiveResponse(response: SipResponse): ResponseDisposition {
    const key = clientKeyOfResponse(response);
    const transaction = key === undefined ? undefined : this.#clients.get(key);
    if (transaction === undefined) {
      this.#logger.debug(`receiveResponse() | stray ${response.status}`);
      return { kind: 'stray', response };
    }
    return { kind: transaction.receiveResponse(response), transaction };
  }

  /** A request from the transport, parsed by the UA core. Never throws on untrusted input. */
  receiveRequest(request: SipRequest): RequestDisposition {
    const vias = getVias(request);
    if (!vias.ok || vias.value.length === 0) return { kind: 'malformed', reason: 'no valid Via' };
    const cseq = getCSeq(request);
    if (!cseq.ok) return { kind: 'malformed', reason: 'no valid CSeq' };
    if (cseq.value.method !== request.method) {
      return { kind: 'malformed', reason: 'CSeq method differs from the request method' };
    }

    const existing = this.#findServer(request);
    if (request.method === 'ACK') {
      if (existing instanceof InviteServerTransaction) {
        return existing.receiveAck() === 'delivered'
          ? { kind: 'ack', request, transaction: existing }
          : { kind: 'absorbed', transaction: existing };
      }
      return { kind: 'ack', request };
    }
    if (existing !== undefined) {
      existing.receiveRequest();
      return { kind: 'absorbed', transaction: existing };
    }
    return this.#createServer(request);
  }

  /** Ends every live transaction (reason `disposed`) and clears the tables. */
  dispose(): void {
    for (const t of [...this.#clients.values(), ...this.#servers.values(), ...this.#legacyServers])
      t.dispose();
    this.#clients.clear();
    this.#servers.clear();
    this.#legacyServers.clear();
  }

  #createServer(request: SipRequest): RequestDisposition {
    const key = serverKey(request);
    let transaction: ServerTransaction | undefined;
    const forget = (): void => {
      if (transaction === undefined) return;
      if (key !== undefined && this.#servers.get(key) === transaction) this.#servers.delete(key);
      this.#legacyServers.delete(transaction);
    };
    if (request.method === 'INVITE') {
      const invite = new InviteServerTransaction(request, this.#context, forget);
      transaction = invite;
      this.#register(key, invite);
      invite.start();
    } else {
      transaction = new NonInviteServerTransaction(request, this.#context, forget);
      this.#register(key, transaction);
    }
    this.#logger.debug(`receiveRequest() | new ${request.method} server transaction`);
    if (request.method !== 'CANCEL') return { kind: 'new', transaction };
    // §9.2: "The TU determines the transaction to be cancelled by taking the CANCEL request, and then
    // assuming that the request method is anything but CANCEL or ACK and applying the transaction
    // matching procedures of Section 17.2.3." Only an INVITE can be cancelled in effect.
    const target = this.#findServer(request, 'INVITE');
    return target instanceof InviteServerTransaction
      ? { kind: 'new', transaction, cancels: target }
      : { kind: 'new', transaction };
  }

  #register(key: string | undefined, transaction: ServerTransaction): void {
    if (key !== undefined) this.#servers.set(key, transaction);
    else this.#legacyServers.add(transaction);
  }

  /** §17.2.3: the magic-cookie rule when the branch has the cookie, the RFC 2543 rule otherwise. */
  #findServer(request: SipRequest, asMethod?: string): ServerTransaction | undefined {
    if (rfc3261Branch(request) !== undefined) {
      const key = serverKey(request, asMethod);
      return key === undefined ? undefined : this.#servers.get(key);
    }
    for (const transaction of this.#legacyServers) {
      if (matchesRfc2543(transaction.request, transaction.lastResponse, request, asMethod))
        return transaction;
    }
    return undefined;
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

  #branchOf(request: SipRequest): string {
    const vias = getVias(request);
    const branch = vias.ok ? vias.value[0]?.params['branch'] : undefined;
    if (typeof branch !== 'string' || branch === '') {
      throw new InvalidArgumentError('the top Via of an outgoing request needs a branch parameter');
    }
    return branch;
  }
}
