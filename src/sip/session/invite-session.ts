/**
 * The INVITE session, RFC 3261 §13–§15: one call, from the INVITE to the BYE, with the offer/answer
 * rules of RFC 3264/RFC 6337 over opaque bodies, re-INVITE, glare, CANCEL, forking and late offer.
 * RFC 3262, 3311, 4028 and 6086 are opt-in {@link SessionExtension}s (session-extension.ts) that hook
 * into the points of {@link SessionHooks}.
 *
 * The session does not manage media: it tells its {@link SessionDescriptionHandler} when to make
 * or take an offer or an answer.
 *
 * Call states (one `#transition()` asserts these edges):
 * ```
 *  outgoing                                        incoming
 *  initial ──INVITE sent──► calling                incoming ──2xx sent──► answering
 *     │                      │  │ 1xx                 │                     │  │ ACK
 *     │                      │  ▼                     │ reject()/CANCEL     │  ▼
 *     │                      │ proceeding             │ /BYE                │ established ◄──┐
 *     │ cancel()             │  │  │ 2xx: ACK         ▼                     │  (outgoing 2xx ┘
 *     │      cancel() ───────┴──┤  └────────────► established          no ACK│   after ACK)
 *     │                         ▼                     │ bye()/BYE           ▼
 *     │                    cancelling ──2xx crossed──►│ terminating ◄───────┘
 *     │                         │    the CANCEL:      │     │ BYE answered / timed out
 *     ▼                         │    ACK + BYE        ▼     ▼
 *  terminated ◄──3xx–6xx, 487───┴───────────────── terminated
 * ```
 * (Every live state can also end directly in `terminated`: a final failure, a received BYE, a
 * transport error.)
 *
 * The core answers the peer's re-INVITE (§14.2), so a peer may hold or re-offer to us. Our own
 * changes (hold, resume, re-offers, session refreshes) are the opt-in `renegotiation()` extension
 * and its functions `hold(session)`, `unhold(session)`, `renegotiate(session)` (renegotiation.ts);
 * INFO is `infoMethod()` with `sendInfo(session, …)` (info-method.ts). They are functions of their
 * modules rather than methods here, so that a basic phone does not ship them.
 */
import type { DigestAuthenticator } from '../auth/digest-authenticator';
import { Dialog } from '../dialog/dialog';
import { tagOf } from '../dialog/dialog-id';
import { formatNameAddr, getCSeq, getTo } from '../message/headers';
import { createRequest, type SipRequest, type SipResponse } from '../message/sip-message';
import { authorizedRetry } from '../ua/authenticated-request';
import { buildRequest } from '../ua/request-builder';
import type { NameAddr, Uri } from '../message/types';
import type { Clock, TimerHandle } from '../support/clock';
import { Emitter } from '../support/emitter';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import type { Logger } from '../support/logger';
import type { Random } from '../support/random';
import type { InviteServerTransaction } from '../transaction/invite-server-transaction';
import type { ServerTransaction, TransactionLayer } from '../transaction/transaction-layer';
import { createResponseTo } from '../ua/response-factory';
import { OfferAnswer } from './offer-answer';
import {
  hasSdp,
  SDP_CONTENT_TYPE,
  sdpType,
  type SessionDescriptionHandler,
} from './session-description-handler';
import {
  causeOfStatus,
  isCompletedElsewhere,
  reasonsOf,
  type EndCause,
  type EndOriginator,
  type SessionEnd,
} from './session-end';
import {
  abandon,
  commit,
  hookFields,
  randomBelow,
  refused,
  sessionFields,
  settle,
  type HeaderFields,
  type Respond,
  type SessionContext,
  type SessionExtension,
  type SessionHooks,
} from './session-extension';
import type { SessionTimerAgreement } from './session-timer';

export type InviteSessionState =
  | 'initial'
  | 'calling'
  | 'proceeding'
  | 'cancelling'
  | 'incoming'
  | 'answering'
  | 'established'
  | 'terminating'
  | 'terminated';

/** The states by name (`InviteSessionState.Terminated === 'terminated'`). */
export const InviteSessionState = {
  Initial: 'initial',
  Calling: 'calling',
  Proceeding: 'proceeding',
  Cancelling: 'cancelling',
  Incoming: 'incoming',
  Answering: 'answering',
  Established: 'established',
  Terminating: 'terminating',
  Terminated: 'terminated',
} as const;

const EDGES: Readonly<Record<InviteSessionState, readonly InviteSessionState[]>> = {
  initial: ['calling', 'terminated'],
  calling: ['proceeding', 'cancelling', 'established', 'terminated'],
  proceeding: ['cancelling', 'established', 'terminated'],
  cancelling: ['terminating', 'terminated'],
  incoming: ['answering', 'terminated'],
  answering: ['established', 'terminating', 'terminated'],
  established: ['terminating', 'terminated'],
  terminating: ['terminated'],
  terminated: [],
};

/** A local change waiting for its 2xx (or a remote one being answered). */
export interface PendingChange {
  readonly kind: 'hold' | 'resume' | 'renegotiate' | 'refresh' | 'remote-offer';
  readonly method: 'INVITE' | 'UPDATE';
}

/** How a local change ended. A failed change left the session as it was. */
export type ChangeOutcome =
  { readonly ok: true } | { readonly ok: false; readonly status?: number; readonly reason: string };

export interface ProgressInfo {
  readonly status: number;
  readonly reason: string;
  /**
   * The provisional response itself, for what the session does not interpret (RFC 3325
   * P-Asserted-Identity, the identity of who is ringing).
   */
  readonly response: SipResponse;
  /** True when this response carried the answer (early media, RFC 3960). */
  readonly earlyMedia: boolean;
  /** The remote tag of the early dialog, if the response created one (forking gives several). */
  readonly dialogTag: string | undefined;
}

/** An INFO received inside the dialog (RFC 6086, with `infoMethod()`), for its user to answer. */
export interface InfoMessage {
  /** `type/subtype` without parameters; undefined without a (parsable) Content-Type. */
  readonly contentType: string | undefined;
  readonly body: string;
  /** The request as received (e.g. its Info-Package header, RFC 6086 §7.2). */
  readonly request: SipRequest;
  /**
   * Answers the INFO: 200, or e.g. 415 with an Accept header for a body type the user cannot use
   * (RFC 3261 §8.2.3) or 400 for a body it cannot parse. Call it synchronously from the `info`
   * listener: once every listener has run, an INFO nobody answered gets 200. Only the first call
   * counts.
   * @throws InvalidArgumentError for a status outside 200–699.
   * @throws InvalidStateError once the INFO has been answered.
   */
  respond(status: number, headers?: HeaderFields): void;
}

export type InviteSessionEvents = {
  state: [state: InviteSessionState, previous: InviteSessionState];
  /** Outgoing: a provisional response. */
  progress: [info: ProgressInfo];
  /**
   * Outgoing: the 2xx arrived and was ACKed (`response` is that 2xx, e.g. for its
   * P-Asserted-Identity); incoming: the ACK of our 2xx arrived (`response` undefined).
   */
  confirmed: [response: SipResponse | undefined];
  /** A change (local or remote) became pending, or the pending one settled (`undefined`). */
  pending: [change: PendingChange | undefined];
  /** Our hold state after a committed change (with `renegotiation()`). */
  hold: [held: boolean];
  /** RFC 4028 (with `sessionTimers()`): the session interval agreed, or re-agreed on a refresh. */
  sessionTimer: [agreement: SessionTimerAgreement | undefined];
  /** An INFO request received inside the dialog (with `infoMethod()`); answer it with `respond`. */
  info: [message: InfoMessage];
  ended: [end: SessionEnd];
};

/** What a session needs from its user agent. */
export interface SessionHost {
  readonly layer: TransactionLayer;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly authenticator: DigestAuthenticator | undefined;
  readonly settings: SessionSettings;
  /** Our Contact (current transport host). */
  contact(): NameAddr;
  /** Our identity for From. */
  identity(): NameAddr;
  /** The session ended. */
  released(session: InviteSession): void;
}

export interface SessionSettings {
  /** Allow header of our INVITEs and dialog-creating responses: the core's methods and the extensions'. */
  readonly allow: readonly string[];
  /** Supported header of our INVITEs and 2xx: the extensions' option tags. */
  readonly supported: readonly string[];
  readonly extensions: readonly SessionExtension[];
  readonly userAgent: string;
  /** T1 and T2 (§17.1.1.1) for the 2xx retransmissions of §13.3.1.4 and the §9.1 CANCEL guard. */
  readonly t1: number;
  readonly t2: number;
}

export interface OutgoingCallInit {
  readonly target: Uri;
  readonly handler: SessionDescriptionHandler;
  /** Extra header fields of the INVITE. */
  readonly headers?: HeaderFields;
}

export type RequestResult =
  | { readonly kind: 'final'; readonly response: SipResponse }
  | { readonly kind: 'timeout' | 'transport-error' };

interface Incoming {
  readonly request: SipRequest;
  readonly transaction: InviteServerTransaction;
  readonly tag: string;
}

function remoteTagOf(response: SipResponse): string {
  const to = getTo(response);
  return to.ok ? tagOf(to.value) : '';
}

function cseqOf(message: SipRequest | SipResponse): number {
  const cseq = getCSeq(message);
  return cseq.ok ? cseq.value.seq : -1;
}

/** A response of ours to `request`, with an SDP `body` if given. */
function responseTo(
  request: SipRequest,
  status: number,
  headers: HeaderFields = [],
  body?: string,
  toTag?: string,
  reason?: string,
): SipResponse {
  return createResponseTo(request, status, { headers: [...headers, ...sdpType(body)], body, toTag, reason });
}

/** `ended` details from a Reason-bearing message (RFC 3326): the reasons, and the first text. */
function reasonDetail(message: SipRequest | SipResponse) {
  const reasons = reasonsOf(message);
  const text = reasons.find((r) => r.text !== undefined)?.text;
  return { reasons, ...(text === undefined ? {} : { reason: text }) };
}

export class InviteSession {
  readonly direction: 'outgoing' | 'incoming';
  readonly callId: string;
  readonly #host: SessionHost;
  readonly #handler: SessionDescriptionHandler;
  readonly #events: Emitter<InviteSessionEvents>;
  readonly #oa = new OfferAnswer();
  readonly #timers = new Set<TimerHandle>();
  readonly #hooks: Array<SessionHooks & { readonly method?: string | undefined }>;
  #state: InviteSessionState;
  #ended: SessionEnd | undefined;
  /** The dialog of the call once answered (or, incoming, once we sent a tagged response). */
  #dialog: Dialog | undefined;
  /** Outgoing: early dialogs by remote tag. */
  readonly #early = new Map<string, Dialog>();
  /** Outgoing: the INVITE currently in its client transaction, as sent (with its Via). */
  #invite: SipRequest | undefined;
  /** Outgoing: the remote tag of the dialog whose answer was applied. */
  #answerTag: string | undefined;
  /** Outgoing: set by cancel(), with the Reason header value to send. */
  #cancel: { readonly reason: string | undefined; sent?: boolean } | undefined;
  /** §9.1: a CANCEL waits for the first provisional response. */
  #provisionalSeen = false;
  /** ACKs we sent, by CSeq, to answer 2xx retransmissions (§13.2.2.4). */
  readonly #acks = new Map<number, SipRequest>();
  /** Incoming: the INVITE and its server transaction. */
  readonly #incoming: Incoming | undefined;
  #earlyAnswer: string | undefined;
  #answering = false;
  /** The CSeq of the 2xx we retransmit until its ACK (§13.3.1.4), and what the ACK completes. */
  #unacked: { readonly cseq: number; readonly onAck: (ack: SipRequest) => void } | undefined;
  #byeAfterAck: string | undefined;
  /** The remote re-INVITE (with its transaction) or UPDATE being answered. */
  #remote: { readonly transaction: InviteServerTransaction | undefined } | undefined;
  #held = false;

  private constructor(
    host: SessionHost,
    direction: 'outgoing' | 'incoming',
    callId: string,
    handler: SessionDescriptionHandler,
    incoming?: Incoming,
  ) {
    this.#host = host;
    this.direction = direction;
    this.callId = callId;
    this.#handler = handler;
    this.#state = incoming ? 'incoming' : 'initial';
    this.#incoming = incoming;
    this.#events = new Emitter((error, event) =>
      host.logger.error(`${String(event)} listener`, { error: String(error) }),
    );
    const hooks: Array<SessionHooks & { readonly method?: string | undefined }> = [];
    const context: SessionContext = {
      session: this,
      events: this.#events,
      host,
      handler,
      oa: this.#oa,
      hooks,
      end: (cause, detail) =>
        detail ? this.#end('remote', cause, detail) : this.#byeAndEnd('system', cause),
      answer: (request, respond) => void this.#answerOffer(request, respond),
      ack: (response, body) => this.#sendAck(this.#dialog!, response, body),
      held: (held) => (this.#held = held),
    };
    for (const e of host.settings.extensions) hooks.push({ method: e.method, ...e.attach?.(context) });
    this.#hooks = hooks;
  }

  /**
   * Starts an outgoing call: asks the handler for an offer, then sends the INVITE (§13.2.1: the
   * initial offer goes in the INVITE).
   */
  static outgoing(host: SessionHost, init: OutgoingCallInit): InviteSession {
    const session = new InviteSession(host, 'outgoing', host.random.callId(), init.handler);
    void session.#startOutgoing(init);
    return session;
  }

  /**
   * An incoming INVITE that passed the UA core's checks (§8.2) and the session layer's (415, the
   * extensions' refusals). The application answers it with {@link progress}, {@link answer} or
   * {@link reject}.
   */
  static incoming(
    host: SessionHost,
    request: SipRequest,
    transaction: InviteServerTransaction,
    callId: string,
    handler: SessionDescriptionHandler,
  ): InviteSession {
    const session = new InviteSession(host, 'incoming', callId, handler, {
      request,
      transaction,
      tag: host.random.tag(),
    });
    transaction.setUser({ onTransportError: () => session.#end('system', 'transport-error') });
    // §13.2.1 via §13.3.1: an INVITE with a body carries the offer; without one the offer is ours,
    // in the 2xx (late offer), and the answer comes in the ACK.
    if (hasSdp(request)) session.#oa.setRemoteOffer(request.body);
    return session;
  }

  get state(): InviteSessionState {
    return this.#state;
  }

  /** Why the call ended, once terminated. */
  get ended(): SessionEnd | undefined {
    return this.#ended;
  }

  /** The confirmed dialog (or the early one we created as a UAS). */
  get dialog(): Dialog | undefined {
    return this.#dialog;
  }

  /**
   * The dialog of this session with `key` (§12.2.2: a request's dialog id names it): the confirmed
   * one, or an early one of an outgoing call. A terminated one is still found, so that its
   * requests get 481 and the retransmissions of its 2xx their ACK.
   */
  dialogFor(key: string): Dialog | undefined {
    return [this.#dialog, ...this.#early.values()].find((dialog) => dialog?.key === key);
  }

  /** Incoming: the INVITE as received. */
  get request(): SipRequest | undefined {
    return this.#incoming?.request;
  }

  /** Whether we hold the call (committed on the 2xx of the hold re-INVITE). */
  get held(): boolean {
    return this.#held;
  }

  on<K extends keyof InviteSessionEvents>(
    event: K,
    listener: (...args: InviteSessionEvents[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  // ───────────────────────────── outgoing (UAC, §13.2) ─────────────────────────────

  async #startOutgoing(init: OutgoingCallInit): Promise<void> {
    let offer: string;
    try {
      offer = await this.#handler.getOffer({ hold: false });
    } catch (error) {
      this.#end('system', 'not-acceptable', { reason: `media: ${String(error)}` });
      return;
    }
    if (this.#state !== 'initial') return; // cancelled while the offer was being made
    this.#oa.setLocalOffer();
    const h = this.#host;
    const target = init.target;
    this.#transition('calling');
    this.#sendInvite(
      buildRequest('INVITE', target, {
        to: { uri: target, params: {} },
        from: { ...h.identity(), params: { tag: h.random.tag() } },
        callId: this.callId,
        seq: 1,
        headers: [
          ...this.#dialogFields(),
          ...hookFields(this.#hooks, 'invite'),
          ['User-Agent', h.settings.userAgent],
          ...(init.headers ?? []),
          ...sdpType(offer),
        ],
        body: offer,
      }),
    );
  }

  #sendInvite(request: SipRequest): void {
    this.#invite = this.#host.layer.sendRequest(request, {
      onProvisional: (r) => this.#onProvisional(r),
      onFinal: (r) => this.#onInviteFinal(r),
      onAdditional2xx: (r) => this.receiveRetransmitted2xx(r),
      onTimeout: () => this.#end('system', 'request-timeout', { status: 408 }),
      onTransportError: () => this.#end('system', 'transport-error'),
    }).request;
  }

  #onProvisional(response: SipResponse): void {
    this.#provisionalSeen = true;
    if (this.#state === 'calling') this.#transition('proceeding');
    const tag = remoteTagOf(response);
    let early = this.#early.get(tag);
    if (tag && !early && response.status > 100) {
      // §12.1.2 / §13.2.2.1: a 101–199 with a To tag creates an early dialog; with forking one
      // INVITE may create several.
      early = this.#uacDialog(response);
      if (early) this.#early.set(tag, early);
    }
    // An extension may stop a response here (RFC 3262: a retransmitted reliable one).
    if (!early || this.#hooks.every((h) => h.provisional?.(response, early) ?? true))
      this.#events.emit('progress', {
        status: response.status,
        reason: response.reason,
        response,
        earlyMedia: hasSdp(response) && this.#takeAnswer(response.body, tag),
        dialogTag: tag || undefined,
      });
    // §9.1: "If no provisional response has been received, the CANCEL request MUST NOT be sent;
    // rather, the client MUST wait for the arrival of a provisional response before sending the
    // request."
    if (this.#cancel && !this.#cancel.sent) this.#sendCancel();
  }

  /** The dialog a response to our INVITE creates (§12.1.2). */
  #uacDialog(response: SipResponse): Dialog | undefined {
    const created = Dialog.fromUacResponse(this.#invite!, response, { random: this.#host.random });
    return created.ok ? created.value : undefined;
  }

  /**
   * §13.2.1: "The UAC MUST treat the first session description it receives as the answer, and MUST
   * ignore any session descriptions in subsequent responses to the initial INVITE." A later fork
   * answering with another body is a new answer for media to take. Returns whether this body was
   * the answer now applied.
   */
  #takeAnswer(body: string, tag: string): boolean {
    // NOTE: RFC 3261 words the "first description" rule per INVITE; with forking each early
    // dialog has its own answer (RFC 3960 §3.1), and the one of the dialog that is answered wins.
    if (!this.#oa.setRemoteAnswer(body) && (tag === this.#answerTag || body === this.#oa.lastRemoteAnswer))
      return false;
    this.#answerTag = tag;
    this.#apply(() => this.#handler.setAnswer(body));
    return true;
  }

  #onInviteFinal(response: SipResponse): void {
    const status = response.status;
    const invite = this.#invite!;
    const auth = this.#host.authenticator;
    const challenged = status === 401 || status === 407;
    // Any final answer other than a challenge means the credentials we sent were taken — a 2xx
    // most of all. Without this the realm stays "answered", and the next call's fresh challenge
    // would read as a refused password.
    if (!challenged && invite.headers.has('Authorization')) auth?.accepted('WWW-Authenticate');
    if (!challenged && invite.headers.has('Proxy-Authorization')) auth?.accepted('Proxy-Authenticate');
    if (status < 300) {
      this.#accepted(response);
      return;
    }
    const detail = { status, reason: response.reason, reasons: reasonsOf(response), response };
    if (this.#state === 'cancelling' || this.#state === 'terminated') {
      this.#end('local', 'cancel', detail);
      return;
    }
    // §22.2: the ICT already ACKed the 401/407; the retry is a new INVITE (§8.1.3.5: new Via,
    // CSeq + 1) with credentials. An extension may ask for a retry too (RFC 4028 §7.4: after a 422).
    const retry = challenged
      ? auth && authorizedRetry(auth, invite, response, status)
      : this.#hooks.find((h) => h.retry)?.retry?.(invite, response);
    if (retry) {
      this.#sendInvite(retry);
      return;
    }
    this.#end(challenged ? 'system' : 'remote', challenged ? 'auth-failed' : causeOfStatus(status), detail);
  }

  /** The first 2xx of the INVITE (§13.2.2.4). */
  #accepted(response: SipResponse): void {
    if (this.#state === 'terminated') {
      // Ended meanwhile (e.g. the CANCEL guard fired): §13.2.2.4 still wants the 2xx ACKed and
      // the unwanted dialog ended.
      this.#ackAndBye(response);
      return;
    }
    const tag = remoteTagOf(response);
    let dialog = this.#early.get(tag);
    if (!dialog) dialog = this.#uacDialog(response);
    else if (!dialog.receiveResponse(response).ok) dialog = undefined;
    if (!dialog) {
      this.#end('system', 'dialog-error', { status: response.status, response });
      return;
    }
    this.#dialog = dialog;
    this.#early.delete(tag);
    // The other early dialogs are over: a fork that answers later gets ACK + BYE (§13.2.2.4).
    for (const other of this.#early.values()) other.terminate();
    this.#early.clear();
    this.#sendAck(dialog, response);
    if (this.#state === 'cancelling') {
      // §9.1: the 2xx crossed our CANCEL, which "has no effect"; the UAC then ends the session it
      // did not want: "the UAC MUST terminate the dialog by sending a BYE request".
      this.#byeAndEnd('local', 'cancel', this.#cancel?.reason);
      return;
    }
    const answered = hasSdp(response) && this.#takeAnswer(response.body, tag);
    this.#transition('established');
    if (!answered && this.#oa.state === 'have-local-offer') {
      // §13.2.1: the answer "MUST be in a reliable non-failure message"; a 2xx without one leaves
      // the session with no media agreement.
      this.#byeAndEnd('system', 'not-acceptable', undefined, 'no answer');
      return;
    }
    commit(this.#hooks, response);
    this.#events.emit('confirmed', response);
  }

  /**
   * A 2xx to one of our INVITEs after the first: a retransmission (the ACK is sent again) or the
   * 2xx of another fork (ACK, then BYE). Reached from the ICT (RFC 6026 Accepted state) or, once
   * that transaction is gone, from the session layer (a stray 2xx).
   */
  receiveRetransmitted2xx(response: SipResponse): void {
    const tag = remoteTagOf(response);
    const cseq = cseqOf(response);
    const ack = tag === this.#dialog?.id.remoteTag ? this.#acks.get(cseq) : undefined;
    // §13.2.2.4: "The UAC core MUST generate an ACK request for each 2xx received from the
    // transaction layer."
    if (ack) this.#host.layer.sendAck(ack);
    else if (this.#invite && cseq === cseqOf(this.#invite) && tag !== this.#dialog?.id.remoteTag)
      this.#ackAndBye(response);
  }

  /**
   * §13.2.2.4: "If, after acknowledging any 2xx response to an INVITE, the UAC does not want to
   * continue with that dialog, then the UAC MUST terminate the dialog by sending a BYE request".
   */
  #ackAndBye(response: SipResponse): void {
    const dialog = this.#uacDialog(response);
    if (!dialog) return;
    this.#host.layer.sendAck(dialog.createAck(cseqOf(response)));
    this.#sendBye(dialog, [], () => dialog.terminate());
  }

  /** ACKs a 2xx to one of our INVITEs on its dialog, and keeps the ACK for the 2xx's retransmissions. */
  #sendAck(dialog: Dialog, response: SipResponse, body?: string): void {
    const cseq = cseqOf(response);
    const ack = dialog.createAck(cseq, { headers: sdpType(body), body });
    this.#acks.set(cseq, ack);
    this.#host.layer.sendAck(ack);
  }

  /**
   * Cancels an outgoing call that is not answered yet (§9.1). The call ends when the INVITE gets
   * its final response (487), or with a BYE when a 2xx crosses the CANCEL.
   * @param reason a Reason header value (RFC 3326), e.g. {@link COMPLETED_ELSEWHERE}.
   * @throws InvalidStateError unless the call is an outgoing one still ringing.
   */
  cancel(reason?: string): void {
    const state = this.#state;
    if (state === 'initial') this.#end('local', 'cancel');
    else if (state === 'calling' || state === 'proceeding') {
      this.#cancel = { reason };
      this.#transition('cancelling');
      if (this.#provisionalSeen) this.#sendCancel();
    } else this.#invalid('cancel');
  }

  #sendCancel(): void {
    const invite = this.#invite!;
    this.#cancel!.sent = true;
    // §9.1: "The Request-URI, Call-ID, To, the numeric part of CSeq, and From header fields in the
    // CANCEL request MUST be identical to those in the request being cancelled, including tags. A
    // CANCEL constructed by a client MUST have only a single Via header field value matching the
    // top Via value in the request being cancelled." "If the request being cancelled contains a
    // Route header field, the CANCEL request MUST include that Route header field's values."
    // Our INVITE has a single Via (we are its UAC), and its Max-Forwards is ours.
    const fields = ['Via', 'Max-Forwards', 'To', 'From', 'Call-ID', 'Route'].flatMap((name) =>
      invite.headers.getAll(name).map((value) => [name, value] as const),
    );
    fields.push(['CSeq', `${cseqOf(invite)} CANCEL`]);
    const reason = this.#cancel!.reason;
    if (reason !== undefined) fields.push(['Reason', reason]);
    this.#host.layer.sendRequest(createRequest('CANCEL', invite.uri, fields), {});
    // §9.1: "If there is no final response for the original request in 64*T1 seconds ..., the
    // client SHOULD then consider the original transaction cancelled".
    this.#startTimer(64 * this.#host.settings.t1, () => {
      if (this.#state === 'cancelling') this.#end('local', 'cancel');
    });
  }

  // ───────────────────────────── incoming (UAS, §13.3) ─────────────────────────────

  /**
   * Sends a provisional response: 180 Ringing by default, or 183 Session Progress. With
   * `earlyMedia` the 183 carries our answer (RFC 3960 §3.2: early media), and the 2xx later
   * repeats that same answer (§13.2.1: "That same exact answer MAY also be placed in any
   * provisional responses sent prior to the answer").
   * @throws InvalidStateError unless the call is incoming and unanswered.
   */
  async progress(options: { status?: 180 | 183; earlyMedia?: boolean } = {}): Promise<void> {
    this.#assertIncoming('progress');
    let body: string | undefined;
    if (options.earlyMedia && this.#oa.state === 'have-remote-offer') {
      body = this.#earlyAnswer = await this.#incomingBody();
      if (body === undefined || this.#state !== 'incoming') return;
    }
    this.#reply(options.status ?? 180, undefined, body);
  }

  /**
   * Answers the call with a 2xx carrying our answer, or our offer when the INVITE had none (late
   * offer: the answer then comes in the ACK). The 2xx is retransmitted until the ACK arrives
   * (§13.3.1.4). Resolves once the 2xx is sent.
   * @throws InvalidStateError unless the call is incoming and unanswered, or already answering.
   */
  async answer(): Promise<void> {
    const incoming = this.#assertIncoming('answer');
    if (this.#answering) this.#invalid('answer');
    this.#answering = true;
    const body = this.#earlyAnswer ?? (await this.#incomingBody());
    if (body === undefined || this.#state !== 'incoming') return;
    const response = this.#reply(200, hookFields(this.#hooks, 'answer', incoming.request), body);
    this.#transition('answering');
    this.#awaitAck(incoming.request, response, incoming.transaction, (ack) => {
      const answered = this.#takeAckAnswer(ack);
      this.#transition('established');
      if (!answered) {
        // §13.3.1.4 (late offer): the ACK must carry the answer; without it the session has no
        // media agreement and is ended.
        this.#byeAndEnd('system', 'not-acceptable', undefined, 'no answer');
        return;
      }
      commit(this.#hooks);
      this.#events.emit('confirmed', undefined);
      if (this.#byeAfterAck !== undefined) this.bye(this.#byeAfterAck || undefined);
    });
  }

  /**
   * Rejects an incoming call: 486 Busy Here, 603 Decline, or any 3xx–6xx.
   * @throws InvalidStateError unless the call is incoming and unanswered.
   * @throws InvalidArgumentError for a status outside 300–699.
   */
  reject(status = 486, reason?: string): void {
    this.#assertIncoming('reject');
    if (!Number.isInteger(status) || status < 300 || status > 699)
      throw new InvalidArgumentError(`reject(${status})`);
    this.#rejectWith(status, causeOfStatus(status), reason);
  }

  #rejectWith(status: number, cause: EndCause, reason?: string): void {
    this.#end('local', cause, { status, reason: this.#reply(status, undefined, undefined, reason).reason });
  }

  #assertIncoming(operation: string): Incoming {
    if (this.#state !== 'incoming') this.#invalid(operation);
    return this.#incoming!;
  }

  /**
   * Our answer to the pending remote offer or, without one, our offer (late offer): the session
   * description of a 2xx or early-media 183 of ours. The offer/answer state moves once it is made.
   */
  async #localBody(): Promise<string> {
    const offer = this.#oa.remoteOffer;
    const options = { hold: this.#held };
    const body = await (offer === undefined
      ? this.#handler.getOffer(options)
      : this.#handler.getAnswer(offer, options));
    if (offer === undefined) this.#oa.setLocalOffer();
    else this.#oa.setLocalAnswer();
    return body;
  }

  /** {@link #localBody} for the incoming call; a media failure rejects the call. */
  async #incomingBody(): Promise<string | undefined> {
    const offered = this.#oa.state === 'have-remote-offer';
    try {
      return await this.#localBody();
    } catch (error) {
      this.#host.logger.warn('media', { error: String(error) });
      // §13.3.1.3 / §21.4.26: 488 when the offer cannot be accepted; 500 when we cannot make one.
      if (this.#state === 'incoming') this.#rejectWith(offered ? 488 : 500, 'not-acceptable');
      return undefined;
    }
  }

  /**
   * Answers the INVITE with our To tag and sends the response. A 101–299 creates the dialog on
   * first use (a 2xx confirms it) and carries Record-Route (§12.1.1) and our Contact.
   */
  #reply(status: number, extra: HeaderFields = [], body?: string, reason?: string): SipResponse {
    const { request, transaction, tag } = this.#incoming!;
    let headers = extra;
    if (status < 300) {
      if (!this.#dialog) {
        const created = Dialog.fromUasRequest(request, tag, this.#host.contact(), {
          random: this.#host.random,
        });
        // The session layer checked the INVITE's Contact/From/To before creating the session.
        if (!created.ok) throw new InvalidStateError(created.error.message);
        this.#dialog = created.value;
      }
      // §12.1.1: the 2xx confirms the UAS dialog.
      if (status > 199 && this.#dialog.state === 'early') this.#dialog.confirm();
      // §12.1.1: "the UAS MUST copy all Record-Route header field values from the request into
      // the response (including the URIs, URI parameters, and any Record-Route header field
      // parameters, whether they are known or unknown to the UAS) and MUST maintain the order of
      // those values."
      headers = [
        ...request.headers.getAll('Record-Route').map((rr) => ['Record-Route', rr] as const),
        ...this.#dialogFields(),
        ...extra,
      ];
    }
    const response = responseTo(request, status, headers, body, tag, reason);
    transaction.respond(response);
    return response;
  }

  /**
   * §13.3.1.4: "The 2xx response is passed to the transport with an interval that starts at T1
   * seconds and doubles for each retransmission until it reaches T2 seconds. Response
   * retransmissions cease when an ACK request for the response is received." "If the server
   * retransmits the 2xx response for 64*T1 seconds without receiving an ACK, the dialog is
   * confirmed, but the session SHOULD be terminated."
   *
   * NOTE: this runs on reliable transports too: RFC 3261 makes the 2xx retransmission end to end,
   * since a downstream hop may be UDP. The server transaction (RFC 6026 Accepted, Timer L) only
   * absorbs INVITE retransmissions and passes the ACK up.
   */
  #awaitAck(
    request: SipRequest,
    response: SipResponse,
    transaction: InviteServerTransaction,
    onAck: (ack: SipRequest) => void,
  ): void {
    const unacked = (this.#unacked = { cseq: cseqOf(request), onAck });
    const { t1, t2 } = this.#host.settings;
    const retransmit = (interval: number): void =>
      this.#startTimer(interval, () => {
        if (this.#unacked !== unacked || transaction.isTerminated) return;
        transaction.respond(response);
        retransmit(Math.min(2 * interval, t2));
      });
    retransmit(t1);
    this.#startTimer(64 * t1, () => {
      if (this.#unacked !== unacked) return;
      this.#unacked = undefined;
      if (this.#state === 'answering') this.#transition('established');
      this.#byeAndEnd('system', 'no-ack');
    });
  }

  /** An ACK routed to this session by the session layer (the ACK of one of our 2xx). */
  receiveAck(ack: SipRequest): void {
    const unacked = this.#unacked;
    if (unacked?.cseq !== cseqOf(ack)) return; // a retransmitted ACK: absorbed
    this.#unacked = undefined;
    unacked.onAck(ack);
  }

  /**
   * The answer an ACK carries to the offer of our 2xx (late offer, offerless re-INVITE). Returns
   * false when our offer got none (it is then withdrawn).
   */
  #takeAckAnswer(ack: SipRequest): boolean {
    if (this.#oa.state !== 'have-local-offer') return true;
    if (!hasSdp(ack)) {
      this.#abandonOffer();
      return false;
    }
    this.#oa.setRemoteAnswer(ack.body);
    this.#apply(() => this.#handler.setAnswer(ack.body));
    return true;
  }

  /** A CANCEL matched to our INVITE server transaction (§9.2); the layer already answered it 200. */
  receiveCancel(cancel: SipRequest): void {
    // §9.2: "If the UAS had not issued a final response for the original request, its behavior
    // depends on the method of the original request. If the original request was an INVITE, the
    // UAS SHOULD immediately respond to the INVITE with a 487 (Request Terminated)."
    if (this.#state !== 'incoming') return;
    this.#reply(487);
    const detail = reasonDetail(cancel);
    this.#end('remote', isCompletedElsewhere(detail.reasons) ? 'completed-elsewhere' : 'cancel', detail);
  }

  // ───────────────────────────── BYE (§15) ─────────────────────────────

  /**
   * Ends an established call with BYE (§15.1.1). On an incoming call whose 2xx is not ACKed yet the
   * BYE waits for the ACK (§15: the callee "MUST NOT send a BYE on a confirmed dialog until it has
   * received an ACK for its 2xx response or until the server transaction times out").
   * @param reason a Reason header value (RFC 3326).
   * @throws InvalidStateError unless the call is answering or established.
   */
  bye(reason?: string): void {
    if (this.#state === 'answering') this.#byeAfterAck = reason ?? '';
    else if (this.#state === 'established') this.#byeAndEnd('local', 'bye', reason);
    else this.#invalid('bye');
  }

  /** Ends the call whatever its state: CANCEL, reject (603), BYE, or nothing when already ending. */
  hangup(reason?: string): void {
    switch (this.#state) {
      case 'initial':
      case 'calling':
      case 'proceeding':
        this.cancel(reason);
        return;
      case 'incoming':
        this.reject(603);
        return;
      case 'answering':
      case 'established':
        this.bye(reason);
    }
  }

  /** Sends BYE on the dialog and ends the session when it is answered (or fails). */
  #byeAndEnd(originator: EndOriginator, cause: EndCause, reasonHeader?: string, reason?: string): void {
    const dialog = this.#dialog;
    const end = () => this.#end(originator, cause, reason === undefined ? {} : { reason });
    if (!dialog || dialog.state === 'terminated') {
      end();
      return;
    }
    if (this.#state !== 'terminating') this.#transition('terminating');
    const headers: HeaderFields = reasonHeader === undefined ? [] : [['Reason', reasonHeader]];
    this.#sendBye(dialog, headers, end);
  }

  /** Sends BYE on `dialog` (§15.1.1); `done` runs once it is answered, timed out or failed. */
  #sendBye(dialog: Dialog, headers: HeaderFields, done: () => void): void {
    this.#host.layer.sendRequest(dialog.createRequest('BYE', { headers }), {
      onFinal: done,
      onTimeout: done,
      onTransportError: done,
    });
  }

  // ─────────────────────────── requests inside the dialog ───────────────────────────

  /**
   * A request inside one of this session's dialogs (the layer matched it, §12.2.2), answered
   * through `transaction`. Methods outside Allow never get here: the UA core answered them 405
   * (§8.2.1).
   */
  receiveRequest(dialog: Dialog, request: SipRequest, transaction: ServerTransaction): void {
    const respond: Respond = (status, headers, body) => {
      const response = responseTo(request, status, headers, body);
      transaction.respond(response);
      return response;
    };
    // §12.2.2: 481 on a dialog that is over, 500 out of order, 400 for a bad CSeq or Contact.
    const verdict = dialog.receiveRequest(request);
    const method = request.method;
    const receive = this.#hooks.find((h) => h.method === method)?.receive;
    if (verdict.kind === 'reject') respond(verdict.status);
    else if (method === 'BYE') this.#receiveBye(dialog, request, respond);
    else if (method === 'INVITE')
      void this.#answerOffer(request, respond, transaction as InviteServerTransaction);
    else if (method === 'OPTIONS') respond(200, [...this.#dialogFields(), ['Accept', SDP_CONTENT_TYPE]]);
    else if (receive) receive(request, respond);
    // An allowed method without a handler here (none with the built-in extensions).
    else respond(501);
  }

  #receiveBye(dialog: Dialog, request: SipRequest, respond: Respond): void {
    if (dialog !== this.#dialog && this.direction === 'outgoing') {
      // A BYE on an early dialog of a fork we did not keep: just end that dialog.
      respond(200);
      dialog.terminate();
      return;
    }
    // §15.1.2: "the UAS MUST still respond to any pending requests received for that dialog. It is
    // RECOMMENDED that a 487 (Request Terminated) response be generated to those pending requests."
    if (this.#state === 'incoming') this.#reply(487);
    const pending = this.#remote?.transaction;
    try {
      pending?.respond(createResponseTo(pending.request, 487));
    } catch {
      // Already answered (its 2xx waits for the ACK): nothing left to end.
    }
    respond(200);
    this.#end('remote', 'bye', reasonDetail(request));
  }

  /**
   * The peer's re-INVITE (§14.2) or UPDATE (RFC 3311 §5.2, routed here by `updateMethod()`): an
   * offer to answer, an offerless re-INVITE to offer in our 2xx (RFC 6337 §5, the answer then comes
   * in the ACK), or an UPDATE without a body that only refreshes the session.
   */
  async #answerOffer(
    request: SipRequest,
    respond: Respond,
    transaction?: InviteServerTransaction,
  ): Promise<void> {
    const offered = hasSdp(request);
    const fields = (): HeaderFields => [
      ...this.#dialogFields(),
      ...hookFields(this.#hooks, 'answer', request),
    ];
    if (refused(this.#host.settings.extensions, request, respond)) return;
    if (!offered && !transaction) {
      respond(200, fields());
      commit(this.#hooks);
      return;
    }
    if (this.#hooks.some((h) => h.busy?.())) {
      // §14.2: "A UAS that receives an INVITE on a dialog while an INVITE it had sent on that
      // dialog is in progress MUST return a 491 (Request Pending) response to the received INVITE."
      // RFC 3311 §5.2 does the same for an UPDATE offer crossing an offer of ours.
      respond(491);
      return;
    }
    if (this.#remote || this.#state !== 'established') {
      // §14.2: "A UAS that receives a second INVITE before it sends the final response to a first
      // INVITE with a lower CSeq sequence number on the same dialog MUST return a 500 (Server
      // Internal Error) response to the second INVITE and MUST include a Retry-After header field
      // with a randomly chosen value of between 0 and 10 seconds." RFC 3311 §5.2 likewise.
      respond(500, [['Retry-After', String(randomBelow(this.#host, 11))]]);
      return;
    }
    this.#remote = { transaction };
    this.#events.emit('pending', { kind: 'remote-offer', method: request.method as 'INVITE' | 'UPDATE' });
    let body: string;
    try {
      if (offered) this.#oa.setRemoteOffer(request.body);
      body = await this.#localBody();
    } catch (error) {
      this.#host.logger.warn('media', { error: String(error) });
      this.#oa.rollback();
      this.#finishRemote();
      if (this.#state === 'established' && !transaction?.isTerminated) respond(488);
      return;
    }
    if (this.#state !== 'established' || transaction?.isTerminated) {
      // Never sent: our offer (offerless re-INVITE) is withdrawn.
      this.#abandonOffer();
      this.#finishRemote();
      return;
    }
    const response = respond(200, fields(), body);
    const done = (): void => {
      commit(this.#hooks);
      this.#finishRemote();
    };
    if (!transaction) done();
    else
      this.#awaitAck(request, response, transaction, (ack) => {
        this.#takeAckAnswer(ack);
        done();
      });
  }

  /** The remote offer is settled: the session is free for a change of ours again. */
  #finishRemote(): void {
    this.#remote = undefined;
    this.#events.emit('pending', undefined);
  }

  #abandonOffer(): void {
    abandon({ host: this.#host, oa: this.#oa, handler: this.#handler });
  }

  // ───────────────────────────── plumbing ─────────────────────────────

  /** Contact, Allow and Supported of a dialog-creating request or 2xx. */
  #dialogFields(): HeaderFields {
    return [['Contact', formatNameAddr(this.#host.contact())], ...sessionFields(this.#host.settings)];
  }

  /** Runs handler work whose failure only needs logging (the exchange already committed on the wire). */
  #apply(work: () => Promise<void>): void {
    void settle(this.#host, work);
  }

  /**
   * Starts a timer that stops when the session ends. Timers are never cancelled otherwise: each
   * callback checks that what it guards is still pending (the 2xx unACKed, the CANCEL unanswered).
   */
  #startTimer(ms: number, callback: () => void): void {
    const handle = this.#host.clock.setTimeout(() => {
      this.#timers.delete(handle);
      callback();
    }, ms);
    this.#timers.add(handle);
  }

  /** @throws InvalidStateError: `operation` is not allowed in the current state. */
  #invalid(operation: string): never {
    throw new InvalidStateError(`${operation}() in state ${this.#state}`);
  }

  /** Ends the session: every timer and dialog goes; `ended` is emitted once. */
  #end(
    originator: EndOriginator,
    cause: EndCause,
    detail: Omit<SessionEnd, 'originator' | 'cause'> = {},
  ): void {
    if (this.#state === 'terminated') return;
    for (const handle of this.#timers) this.#host.clock.clearTimeout(handle);
    this.#unacked = undefined;
    for (const dialog of [...this.#early.values(), this.#dialog]) dialog?.terminate();
    this.#early.clear();
    this.#ended = { originator, cause, ...detail };
    this.#transition('terminated');
    try {
      this.#handler.close();
    } catch {
      // The media port is released either way; nothing else is called on it.
    }
    this.#host.released(this);
    this.#events.emit('ended', this.#ended);
  }

  /** Ends the session from outside (the user agent stopping): BYE, CANCEL or reject as needed. */
  dispose(): void {
    if (this.#state === 'terminated') return;
    try {
      this.hangup();
    } catch {
      // Whatever state we were in, the session ends below.
    }
    this.#end('system', 'transport-error', { reason: 'stopped' });
  }

  /**
   * The only way the call state changes.
   * @throws InvalidStateError on an edge not drawn in the class diagram.
   */
  #transition(to: InviteSessionState): void {
    const from = this.#state;
    if (!EDGES[from].includes(to)) throw new InvalidStateError(`session: ${from} → ${to}`);
    this.#state = to;
    this.#events.emit('state', to, from);
  }
}
