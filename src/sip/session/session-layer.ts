/**
 * The INVITE usage of the UA core (RFC 3261 §13–§15): where the user agent hands INVITE, ACK,
 * CANCEL, requests inside INVITE dialogs and stray 2xx responses. It owns the sessions and the
 * map from dialogs (and server transactions) to sessions; each {@link InviteSession} owns its call.
 */
import type { DigestAuthenticator } from '../auth/digest-authenticator';
import type { Dialog } from '../dialog/dialog';
import { dialogIdOf, dialogKey } from '../dialog/dialog-id';
import { getCallId, getContact, getCSeq } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { NameAddr } from '../message/types';
import { parseUri } from '../parser/parse-uri';
import type { Clock, TimerHandle } from '../support/clock';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import type { Logger } from '../support/logger';
import type { Random } from '../support/random';
import type { InviteServerTransaction } from '../transaction/invite-server-transaction';
import type { ServerTransaction, TransactionLayer } from '../transaction/transaction-layer';
import { createResponseTo } from '../ua/response-factory';
import { InviteSession, type SessionHost, type SessionSettings } from './invite-session';
import {
  hasSdp,
  SDP_CONTENT_TYPE,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerFactory,
} from './session-description-handler';
import { refused } from './session-extension';

export interface SessionLayerDeps {
  readonly layer: TransactionLayer;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly authenticator: DigestAuthenticator | undefined;
  readonly settings: SessionSettings;
  readonly contact: () => NameAddr;
  readonly identity: () => NameAddr;
  /** Makes the media handler of a session; required to place or answer calls. */
  readonly handlerFactory: SessionDescriptionHandlerFactory | undefined;
  /** A new incoming call, already past every check; the application answers it. */
  readonly onIncoming: (session: InviteSession) => void;
}

export interface CallOptions {
  /** The handler of this call; defaults to the user agent's factory. */
  readonly sessionDescriptionHandler?: SessionDescriptionHandler;
  /** Extra header fields of the INVITE (e.g. `P-Preferred-Identity`). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

export class SessionLayer {
  readonly #deps: SessionLayerDeps;
  readonly #host: SessionHost;
  readonly #sessions = new Set<InviteSession>();
  /** dialogKey → the dialog and its session. */
  /** Ended outgoing sessions, kept 64·T1 so that a late 2xx of any fork still gets ACK + BYE. */
  readonly #recent = new Map<InviteSession, TimerHandle>();

  constructor(deps: SessionLayerDeps) {
    this.#deps = deps;
    this.#host = {
      ...deps,
      released: (session) => this.#release(session),
    };
  }

  /** Live sessions. */
  get sessions(): readonly InviteSession[] {
    return [...this.#sessions];
  }

  /**
   * Places a call (§13.2.1). The INVITE leaves once the handler produced the offer.
   * @throws InvalidArgumentError when `target` is not a sip:, sips: or tel: URI.
   * @throws InvalidStateError when no handler was given and the user agent has no factory.
   */
  call(target: string, options: CallOptions = {}): InviteSession {
    const parsed = parseUri(target);
    if (!parsed.ok) throw new InvalidArgumentError(`call(): ${parsed.error.message}`);
    const uri = parsed.value;
    // The parser lower-cases the scheme.
    if (!/^(sips?|tel)$/.test(uri.scheme)) throw new InvalidArgumentError(`call(): ${uri.scheme}: URI`);
    const handler = options.sessionDescriptionHandler ?? this.#deps.handlerFactory?.('outgoing');
    if (!handler) throw new InvalidStateError('call(): no handler');
    const session = InviteSession.outgoing(this.#host, { target: uri, handler, headers: options.headers });
    this.#sessions.add(session);
    return session;
  }

  /** A new INVITE outside any dialog (§13.3.1). */
  receiveInvite(request: SipRequest, transaction: InviteServerTransaction): void {
    const respond = (status: number, headers: ReadonlyArray<readonly [string, string]> = []) =>
      transaction.respond(createResponseTo(request, status, { toTag: this.#deps.random.tag(), headers }));
    // The UA core checked From, To and Call-ID (§8.1.1) before handing the INVITE over.
    const callId = getCallId(request);
    const contact = getContact(request);
    if (
      !callId.ok ||
      !contact.ok ||
      !contact.value ||
      contact.value.star ||
      contact.value.contacts.length !== 1
    ) {
      // §8.1.1.8: the INVITE "MUST" carry exactly one Contact; we cannot build a dialog without it.
      respond(400, []);
      return;
    }
    if (request.body !== '' && !hasSdp(request)) {
      // §8.2.3: "If a UAS does not understand the body, it SHOULD reject the request with a 415
      // (Unsupported Media Type) response", listing what it accepts.
      respond(415, [['Accept', SDP_CONTENT_TYPE]]);
      return;
    }
    // An extension may refuse the INVITE (RFC 4028 §9: 422 for a too-short session interval).
    if (refused(this.#deps.settings.extensions, request, respond)) return;
    const handler = this.#deps.handlerFactory?.('incoming');
    if (!handler) {
      // Nobody can take a call: 480 Temporarily Unavailable tells the caller to try elsewhere.
      respond(480);
      return;
    }
    const session = InviteSession.incoming(this.#host, request, transaction, callId.value, handler);
    this.#sessions.add(session);
    this.#deps.onIncoming(session);
  }

  /** A CANCEL that matched an INVITE server transaction (§9.2); the UA core answers it 200. */
  receiveCancel(cancel: SipRequest, target: InviteServerTransaction): void {
    for (const session of this.#sessions)
      if (session.request === target.request) session.receiveCancel(cancel);
  }

  /**
   * A request with a To tag (§12.2.2). Returns false when no INVITE dialog matches: the UA core
   * then answers 481.
   */
  receiveInDialog(request: SipRequest, transaction: ServerTransaction): boolean {
    const entry = this.#entry(request);
    entry?.session.receiveRequest(entry.dialog, request, transaction);
    return !!entry;
  }

  /** An ACK for the TU (§17.2.3 / RFC 6026 §8.7): the ACK of one of our 2xx. */
  receiveAck(ack: SipRequest): void {
    this.#entry(ack)?.session.receiveAck(ack);
  }

  /**
   * The dialog (and its live session) a request inside a dialog (§12.2.2), or a response to one of
   * our requests, belongs to. Sessions are few: a scan beats keeping a map in step with them.
   */
  #entry(message: SipRequest | SipResponse): { dialog: Dialog; session: InviteSession } | undefined {
    const id = dialogIdOf(message);
    if (!id.ok) return undefined;
    const key = dialogKey(id.value);
    for (const session of this.#sessions) {
      const dialog = session.dialogFor(key);
      if (dialog) return { dialog, session };
    }
    return undefined;
  }

  /**
   * A response no client transaction matched. A 2xx to an INVITE is re-ACKed (§13.2.2.4: the
   * 2xx retransmissions outlive the transaction); anything else is dropped.
   */
  receiveStrayResponse(response: SipResponse): boolean {
    const cseq = getCSeq(response);
    if (!cseq.ok || cseq.value.method !== 'INVITE' || response.status < 200 || response.status > 299)
      return false;
    const id = dialogIdOf(response);
    if (!id.ok) return false;
    // Our Call-IDs are random per call, so the Call-ID names our outgoing session (an incoming
    // one may share it only when we called ourselves).
    const session =
      this.#entry(response)?.session ??
      [...this.#sessions, ...this.#recent.keys()].find(
        (s) => s.direction === 'outgoing' && s.callId === id.value.callId,
      );
    if (!session) return false;
    session.receiveRetransmitted2xx(response);
    return true;
  }

  /** Ends every session (the user agent is stopping). */
  dispose(): void {
    for (const session of [...this.#sessions]) session.dispose();
    for (const handle of this.#recent.values()) this.#deps.clock.clearTimeout(handle);
    this.#recent.clear();
  }

  #release(session: InviteSession): void {
    this.#sessions.delete(session);
    if (session.direction !== 'outgoing') return;
    const handle = this.#deps.clock.setTimeout(
      () => this.#recent.delete(session),
      64 * this.#deps.settings.t1,
    );
    this.#recent.set(session, handle);
  }
}
