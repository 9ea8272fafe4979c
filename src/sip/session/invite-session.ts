/**
 * The INVITE session, RFC 3261 §13–§15: one call, from the INVITE to the BYE, with the offer/answer
 * rules of RFC 3264/RFC 6337 over opaque bodies, re-INVITE and UPDATE (RFC 3311), session timers
 * (RFC 4028), reliable provisional responses as a UAC (RFC 3262) and INFO (RFC 6086).
 *
 * The session does not manage media: it tells its {@link SessionDescriptionHandler} when to make
 * or take an offer or an answer.
 *
 * Call states (one {@link InviteSession.transition} asserts these edges):
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
 * Changes after the call is up (hold, resume, re-offers, session refreshes) are *local operations*
 * run one at a time from a queue, never interleaved with a remote offer (RFC 3261 §14.1, RFC 3311
 * §5.1). An operation is visible as {@link InviteSession.pending} and takes effect only on its 2xx
 * (and ACK): a failure leaves the session exactly as it was.
 */
import type { DigestAuthenticator } from '../auth/digest-authenticator';
import { formatCredentials } from '../auth/challenge';
import { Dialog } from '../dialog/dialog';
import { tagOf } from '../dialog/dialog-id';
import {
  formatNameAddr,
  getAllow,
  getAuthValues,
  getContentType,
  getCSeq,
  getFrom,
  getRequire,
  getRSeq,
  getTo,
} from '../message/headers';
import { createRequest, type SipRequest, type SipResponse } from '../message/sip-message';
import type { NameAddr, Uri } from '../message/types';
import { formatUri } from '../message/uri';
import type { Clock, TimerHandle } from '../support/clock';
import { Emitter } from '../support/emitter';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import type { Logger } from '../support/logger';
import type { Random } from '../support/random';
import type { InviteServerTransaction } from '../transaction/invite-server-transaction';
import type { ServerTransaction, TransactionLayer } from '../transaction/transaction-layer';
import { createResponseTo } from '../ua/response-factory';
import { OfferAnswer, OfferAnswerState } from './offer-answer';
import { SDP_CONTENT_TYPE, type SessionDescriptionHandler } from './session-description-handler';
import {
  causeOfStatus,
  isCompletedElsewhere,
  reasonsOf,
  type EndCause,
  type EndOriginator,
  type ReasonInfo,
  type SessionEnd,
} from './session-end';
import {
  agreementFromResponse,
  minSEOf422,
  negotiateAsUas,
  refreshDelayMs,
  requestTimerHeaders,
  type SessionTimerAgreement,
  type SessionTimerSettings,
} from './session-timer';

export enum InviteSessionState {
  Initial = 'initial',
  Calling = 'calling',
  Proceeding = 'proceeding',
  Cancelling = 'cancelling',
  Incoming = 'incoming',
  Answering = 'answering',
  Established = 'established',
  Terminating = 'terminating',
  Terminated = 'terminated',
}

const S = InviteSessionState;

const EDGES: Readonly<Record<InviteSessionState, readonly InviteSessionState[]>> = {
  [S.Initial]: [S.Calling, S.Terminated],
  [S.Calling]: [S.Proceeding, S.Cancelling, S.Established, S.Terminated],
  [S.Proceeding]: [S.Cancelling, S.Established, S.Terminated],
  [S.Cancelling]: [S.Terminating, S.Terminated],
  [S.Incoming]: [S.Answering, S.Terminated],
  [S.Answering]: [S.Established, S.Terminating, S.Terminated],
  [S.Established]: [S.Terminating, S.Terminated],
  [S.Terminating]: [S.Terminated],
  [S.Terminated]: [],
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

/** An INFO received inside the dialog (RFC 6086), for its user to answer. */
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
  respond(status: number, headers?: ReadonlyArray<readonly [string, string]>): void;
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
  /** Our hold state after a committed change. */
  hold: [held: boolean];
  /** An offer/answer exchange after the first completed. */
  renegotiated: [by: 'local' | 'remote'];
  /** RFC 4028: the session interval agreed (or re-agreed on a refresh). */
  sessionTimer: [agreement: SessionTimerAgreement | undefined];
  /** An INFO request received inside the dialog (RFC 6086); answer it with `message.respond`. */
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
  /** A dialog of this session was created: in-dialog requests for it now reach the session. */
  bindDialog(dialog: Dialog, session: InviteSession): void;
  /** The session ended. */
  released(session: InviteSession): void;
}

export interface SessionSettings {
  /** Allow header of our INVITEs and dialog-creating responses. */
  readonly allow: readonly string[];
  /** Supported header of our INVITEs and 2xx. */
  readonly supported: readonly string[];
  readonly userAgent: string;
  readonly sessionTimer: SessionTimerSettings;
  /** T1 and T2 (§17.1.1.1) for the 2xx retransmissions of §13.3.1.4 and the §9.1 CANCEL guard. */
  readonly t1: number;
  readonly t2: number;
}

export interface OutgoingCallInit {
  readonly target: Uri;
  readonly handler: SessionDescriptionHandler;
  /** Extra header fields of the INVITE. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

type RequestResult =
  | { readonly kind: 'final'; readonly response: SipResponse; readonly request: SipRequest }
  | { readonly kind: 'timeout' | 'transport-error'; readonly request: SipRequest };

interface LocalOperation {
  readonly change: PendingChange;
  /** Whether the request carries an offer (false: offerless re-INVITE or plain UPDATE). */
  readonly offer: boolean;
  /** The hold state the operation asks for. */
  readonly hold: boolean;
  readonly resolve: (outcome: ChangeOutcome) => void;
}

/** A 2xx we sent and retransmit until its ACK (§13.3.1.4). */
interface UnacknowledgedAnswer {
  readonly cseq: number;
  readonly response: SipResponse;
  readonly transaction: InviteServerTransaction;
  /** What completes when the ACK arrives. */
  readonly onAck: (ack: SipRequest) => void;
}

/** The reason phrase text of a response, for `ended` and change outcomes. */
function describe(response: SipResponse): string {
  return `${response.status} ${response.reason}`;
}

function remoteTagOf(response: SipResponse): string {
  const to = getTo(response);
  return to.ok ? tagOf(to.value) : '';
}

function cseqOf(message: SipRequest | SipResponse): number {
  const cseq = getCSeq(message);
  return cseq.ok ? cseq.value.seq : -1;
}

function hasSdp(message: SipRequest | SipResponse): boolean {
  if (message.body === '') return false;
  const type = getContentType(message);
  return (
    type.ok &&
    type.value !== undefined &&
    `${type.value.type}/${type.value.subtype}`.toLowerCase() === SDP_CONTENT_TYPE
  );
}

function hasOptionTag(message: SipRequest | SipResponse, tag: string): boolean {
  const require = getRequire(message);
  return require.ok && require.value.some((t) => t.toLowerCase() === tag);
}

export class InviteSession {
  readonly direction: 'outgoing' | 'incoming';
  readonly callId: string;
  readonly #host: SessionHost;
  readonly #log: Logger;
  readonly #handler: SessionDescriptionHandler;
  readonly #events: Emitter<InviteSessionEvents>;
  readonly #oa = new OfferAnswer();
  readonly #timers = new Map<string, TimerHandle>();
  #state: InviteSessionState;
  #ended: SessionEnd | undefined;
  /** The dialog of the call once answered (or, incoming, once we sent a tagged response). */
  #dialog: Dialog | undefined;
  /** Outgoing: early dialogs by remote tag, with the last RSeq seen on each (RFC 3262). */
  readonly #early = new Map<string, { dialog: Dialog; rseq: number | undefined }>();
  /** Outgoing: the INVITE currently in its client transaction, as sent (with its Via). */
  #invite: SipRequest | undefined;
  #answerTag: string | undefined;
  #cancel: { requested: boolean; sent: boolean; reason: string | undefined } = {
    requested: false,
    sent: false,
    reason: undefined,
  };
  #retried422 = false;
  /** §9.1: a CANCEL waits for the first provisional response. */
  #provisionalSeen = false;
  /** ACKs we sent, by CSeq, to answer 2xx retransmissions (§13.2.2.4). */
  readonly #acks = new Map<number, SipRequest>();
  /** Incoming: the INVITE and its server transaction. */
  readonly #incoming: { request: SipRequest; transaction: InviteServerTransaction; tag: string } | undefined;
  #earlyAnswer: string | undefined;
  #answering = false;
  #unacked: UnacknowledgedAnswer | undefined;
  #byeAfterAck: string | undefined;
  /** The remote re-INVITE or UPDATE being answered. */
  #remoteOffer = false;
  #localBusy = false;
  readonly #queue: LocalOperation[] = [];
  #pending: PendingChange | undefined;
  #held = false;
  #agreement: SessionTimerAgreement | undefined;
  #peerAllow: readonly string[] | undefined;
  /** The remote request that the dialog's re-INVITE answered with our offer is waiting on. */
  #pendingServerRequests = new Set<ServerTransaction>();

  private constructor(
    host: SessionHost,
    direction: 'outgoing' | 'incoming',
    callId: string,
    handler: SessionDescriptionHandler,
    state: InviteSessionState,
    incoming?: { request: SipRequest; transaction: InviteServerTransaction; tag: string },
  ) {
    this.#host = host;
    this.direction = direction;
    this.callId = callId;
    this.#handler = handler;
    this.#state = state;
    this.#incoming = incoming;
    this.#log = host.logger.child('session');
    this.#events = new Emitter((error, event) =>
      this.#log.error(`listener of ${String(event)} threw`, { error: String(error) }),
    );
  }

  /**
   * Starts an outgoing call: asks the handler for an offer, then sends the INVITE (§13.2.1: the
   * initial offer goes in the INVITE).
   */
  static outgoing(host: SessionHost, init: OutgoingCallInit): InviteSession {
    const session = new InviteSession(host, 'outgoing', host.random.callId(), init.handler, S.Initial);
    void session.#startOutgoing(init);
    return session;
  }

  /**
   * An incoming INVITE that passed the UA core's checks (§8.2) and the session layer's (415, 422).
   * The application answers it with {@link progress}, {@link answer} or {@link reject}.
   */
  static incoming(
    host: SessionHost,
    request: SipRequest,
    transaction: InviteServerTransaction,
    callId: string,
    handler: SessionDescriptionHandler,
  ): InviteSession {
    const session = new InviteSession(host, 'incoming', callId, handler, S.Incoming, {
      request,
      transaction,
      tag: host.random.tag(),
    });
    transaction.setUser({
      onTransportError: () => session.#end('system', 'transport-error'),
    });
    // §13.2.1 via §13.3.1: an INVITE with a body carries the offer; without one the offer is ours,
    // in the 2xx (late offer), and the answer comes in the ACK.
    if (hasSdp(request)) session.#oa.setRemoteOffer(request.body);
    session.#peerAllow = tokensOf(request, 'Allow');
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

  /** The remote tags of the early dialogs of an outgoing call (several when the INVITE forked). */
  get earlyDialogs(): readonly string[] {
    return [...this.#early.keys()];
  }

  /** Outgoing: our From tag, the local tag of every dialog the INVITE creates. */
  get localTag(): string | undefined {
    const from = this.#invite?.headers.get('From');
    if (from === undefined) return undefined;
    const parsed = getFrom(this.#invite!);
    return parsed.ok ? tagOf(parsed.value) : undefined;
  }

  /** Incoming: the INVITE as received. */
  get request(): SipRequest | undefined {
    return this.#incoming?.request;
  }

  /** The local change in progress (or the remote offer being answered), if any. */
  get pending(): PendingChange | undefined {
    return this.#pending;
  }

  /** Whether we hold the call (committed on the 2xx of the hold re-INVITE). */
  get held(): boolean {
    return this.#held;
  }

  get offerAnswerState(): OfferAnswerState {
    return this.#oa.state;
  }

  /** The session interval in force (RFC 4028), if any. */
  get sessionTimer(): SessionTimerAgreement | undefined {
    return this.#agreement;
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
      this.#log.warn('call() | no local offer', { error: String(error) });
      this.#end('system', 'not-acceptable', { reason: 'local media failed' });
      return;
    }
    if (this.#state !== S.Initial) return; // cancelled while the offer was being made
    this.#oa.setLocalOffer();
    const h = this.#host;
    const settings = h.settings;
    const fields: Array<readonly [string, string]> = [
      ['Max-Forwards', '70'],
      ['To', formatNameAddr({ uri: init.target, params: {} })],
      ['From', formatNameAddr({ ...h.identity(), params: { tag: h.random.tag() } })],
      ['Call-ID', this.callId],
      ['CSeq', '1 INVITE'],
      ['Contact', formatNameAddr(h.contact())],
      ['Allow', settings.allow.join(', ')],
      ['Supported', settings.supported.join(', ')],
      ...requestTimerHeaders(settings.sessionTimer, settings.sessionTimer.interval),
      ['User-Agent', settings.userAgent],
      ...(init.headers ?? []),
      ['Content-Type', SDP_CONTENT_TYPE],
    ];
    const invite = createRequest('INVITE', init.target, fields, offer);
    this.transition(S.Calling);
    this.#sendInvite(invite);
  }

  #sendInvite(request: SipRequest): void {
    const transaction = this.#host.layer.sendRequest(request, {
      onProvisional: (r) => this.#onProvisional(r),
      onFinal: (r) => this.#onInviteFinal(r),
      onAdditional2xx: (r) => this.receiveRetransmitted2xx(r),
      onTimeout: () => this.#end('system', 'request-timeout', { status: 408 }),
      onTransportError: () => this.#end('system', 'transport-error'),
    });
    this.#invite = transaction.request;
  }

  #onProvisional(response: SipResponse): void {
    this.#provisionalSeen = true;
    if (this.#state === S.Calling) this.transition(S.Proceeding);
    const tag = remoteTagOf(response);
    let early = tag === '' ? undefined : this.#early.get(tag);
    if (tag !== '' && early === undefined && response.status > 100 && this.#invite) {
      // §12.1.2 / §13.2.2.1: a 101–199 with a To tag creates an early dialog; with forking one
      // INVITE may create several.
      const created = Dialog.fromUacResponse(this.#invite, response, { random: this.#host.random });
      if (created.ok && created.value) {
        early = { dialog: created.value, rseq: undefined };
        this.#early.set(tag, early);
        this.#host.bindDialog(created.value, this);
      }
    }
    let process = true;
    if (early && response.status > 100 && hasOptionTag(response, '100rel')) {
      process = this.#acknowledgeReliable(early, response);
    }
    if (process) {
      const earlyMedia = hasSdp(response) && this.#takeAnswer(response.body, tag);
      this.#events.emit('progress', {
        status: response.status,
        reason: response.reason,
        response,
        earlyMedia,
        dialogTag: tag === '' ? undefined : tag,
      });
    }
    // §9.1: "If no provisional response has been received, the CANCEL request MUST NOT be sent;
    // rather, the client MUST wait for the arrival of a provisional response before sending the
    // request."
    if (this.#cancel.requested && !this.#cancel.sent) this.#sendCancel();
  }

  /**
   * RFC 3262 §4: PRACK a reliable provisional response whose RSeq is the next expected one;
   * returns whether the response is new (a retransmission or one out of order is not processed).
   */
  #acknowledgeReliable(early: { dialog: Dialog; rseq: number | undefined }, response: SipResponse): boolean {
    const rseq = getRSeq(response);
    if (!rseq.ok || rseq.value === undefined) return true;
    // "If the UAC receives another reliable provisional response to the same request, and its RSeq
    // value is not one higher than the value of the sequence number, that response MUST NOT be
    // acknowledged with a PRACK, and MUST NOT be processed further by the UAC."
    if (early.rseq !== undefined && rseq.value !== early.rseq + 1) return false;
    early.rseq = rseq.value;
    const prack = early.dialog.createRequest('PRACK', {
      headers: [['RAck', `${rseq.value} ${cseqOf(response)} INVITE`]],
    });
    void this.#transact(prack);
    return true;
  }

  /**
   * §13.2.1: "The UAC MUST treat the first session description it receives as the answer, and MUST
   * ignore any session descriptions in subsequent responses to the initial INVITE." A later fork
   * answering with another body is a new answer for media to take. Returns whether this body was
   * the answer now applied.
   */
  #takeAnswer(body: string, tag: string): boolean {
    if (this.#oa.state === OfferAnswerState.HaveLocalOffer) {
      this.#oa.setRemoteAnswer(body);
      this.#answerTag = tag;
      this.#apply(() => this.#handler.setAnswer(body));
      return true;
    }
    if (tag !== this.#answerTag && body !== this.#oa.lastRemoteAnswer) {
      // NOTE: RFC 3261 words the "first description" rule per INVITE; with forking each early
      // dialog has its own answer (RFC 3960 §3.1), and the one of the dialog that is answered wins.
      this.#answerTag = tag;
      this.#apply(() => this.#handler.setAnswer(body));
      return true;
    }
    return false;
  }

  #onInviteFinal(response: SipResponse): void {
    const status = response.status;
    const challenged = status === 401 || status === 407;
    // Any final answer other than a challenge means the credentials we sent were taken — a 2xx
    // most of all. Without this the realm stays "answered", and the next call's fresh challenge
    // would read as a refused password.
    if (!challenged && this.#invite?.headers.has('Authorization'))
      this.#host.authenticator?.accepted('WWW-Authenticate');
    if (!challenged && this.#invite?.headers.has('Proxy-Authorization'))
      this.#host.authenticator?.accepted('Proxy-Authenticate');
    if (status >= 200 && status < 300) {
      this.#accepted(response);
      return;
    }
    if (this.#state === S.Cancelling || this.#state === S.Terminated) {
      this.#end('local', 'cancel', {
        status,
        reason: response.reason,
        reasons: reasonsOf(response),
        response,
      });
      return;
    }
    if (challenged) {
      // §22.2: the ICT already ACKed the 401/407; the retry is a new INVITE with credentials.
      const retry = this.#invite && this.#authorizedRetry(this.#invite, response);
      if (retry) {
        this.#sendInvite(retry);
        return;
      }
      this.#end('system', 'auth-failed', { status, reason: response.reason, response });
      return;
    }
    const minSE = status === 422 ? minSEOf422(response) : undefined;
    if (minSE !== undefined && this.#invite && !this.#retried422) {
      // RFC 4028 §7.4: "the UAC MAY retry the INVITE ... with a Session-Expires ... at least as
      // large as the Min-SE in the 422" and a Min-SE of that value.
      this.#retried422 = true;
      const headers = this.#retryHeaders(this.#invite);
      headers.set('Session-Expires', String(minSE));
      headers.set('Min-SE', String(minSE));
      this.#sendInvite({ ...this.#invite, headers });
      return;
    }
    this.#end('remote', causeOfStatus(status), {
      status,
      reason: response.reason,
      reasons: reasonsOf(response),
      response,
    });
  }

  /** The headers of a retried INVITE: no Via (a new branch), CSeq incremented (§8.1.3.5). */
  #retryHeaders(request: SipRequest) {
    const headers = request.headers.clone();
    headers.delete('Via');
    headers.set('CSeq', `${cseqOf(request) + 1} ${request.method}`);
    return headers;
  }

  #authorizedRetry(request: SipRequest, response: SipResponse): SipRequest | undefined {
    const authenticator = this.#host.authenticator;
    if (!authenticator) return undefined;
    const header = response.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const challenges = getAuthValues(response, header);
    if (!challenges.ok) return undefined;
    const result = authenticator.authorize(
      { method: request.method, uri: formatUri(request.uri), body: request.body },
      challenges.value,
      header,
    );
    if (!result.ok) return undefined;
    const headers = this.#retryHeaders(request);
    headers.set(result.headerName, formatCredentials(result.value));
    return { ...request, headers };
  }

  /** The first 2xx of the INVITE (§13.2.2.4). */
  #accepted(response: SipResponse): void {
    const invite = this.#invite;
    if (!invite || this.#state === S.Terminated) {
      // Ended meanwhile (e.g. the CANCEL guard fired): §13.2.2.4 still wants the 2xx ACKed and
      // the unwanted dialog ended.
      if (invite) this.#ackAndBye(invite, response);
      return;
    }
    const tag = remoteTagOf(response);
    let dialog = this.#early.get(tag)?.dialog;
    if (dialog) {
      const effect = dialog.receiveResponse(response);
      if (!effect.ok) dialog = undefined;
    } else {
      const created = Dialog.fromUacResponse(invite, response, { random: this.#host.random });
      if (created.ok && created.value) {
        dialog = created.value;
        this.#host.bindDialog(dialog, this);
      }
    }
    if (!dialog) {
      this.#log.warn('accepted() | 2xx without a usable Contact or To');
      this.#end('system', 'dialog-error', { status: response.status, reason: 'bad 2xx' });
      return;
    }
    this.#dialog = dialog;
    this.#early.delete(tag);
    // The other early dialogs are over: a fork that answers later gets ACK + BYE (§13.2.2.4).
    for (const other of this.#early.values()) other.dialog.terminate();
    this.#early.clear();
    this.#sendAck(dialog, cseqOf(response));
    this.#peerAllow = tokensOf(response, 'Allow');

    if (this.#state === S.Cancelling) {
      // §9.1: the 2xx crossed our CANCEL, which "has no effect"; the UAC then ends the session it
      // did not want: "the UAC MUST terminate the dialog by sending a BYE request".
      this.#byeAndEnd('local', 'cancel', this.#cancel.reason);
      return;
    }
    const answered = hasSdp(response) && this.#takeAnswer(response.body, tag);
    if (!answered && this.#oa.state === OfferAnswerState.HaveLocalOffer) {
      // §13.2.1: the answer "MUST be in a reliable non-failure message"; a 2xx without one leaves
      // the session with no media agreement.
      this.transition(S.Established);
      this.#byeAndEnd('system', 'not-acceptable', undefined, 'no answer in the 2xx');
      return;
    }
    this.transition(S.Established);
    this.#armSessionTimer(agreementFromResponse(response));
    this.#events.emit('confirmed', response);
    this.#pump();
  }

  /**
   * A 2xx to one of our INVITEs after the first: a retransmission (the ACK is sent again) or the
   * 2xx of another fork (ACK, then BYE). Reached from the ICT (RFC 6026 Accepted state) or, once
   * that transaction is gone, from the session layer (a stray 2xx).
   */
  receiveRetransmitted2xx(response: SipResponse): void {
    const tag = remoteTagOf(response);
    const cseq = cseqOf(response);
    const ack = this.#dialog && tag === this.#dialog.id.remoteTag ? this.#acks.get(cseq) : undefined;
    if (ack) {
      // §13.2.2.4: "The UAC core MUST generate an ACK request for each 2xx received from the
      // transaction layer."
      this.#host.layer.sendAck(ack);
      return;
    }
    if (this.#invite && cseq === cseqOf(this.#invite) && tag !== this.#dialog?.id.remoteTag) {
      this.#ackAndBye(this.#invite, response);
    }
  }

  /**
   * §13.2.2.4: "If, after acknowledging any 2xx response to an INVITE, the UAC does not want to
   * continue with that dialog, then the UAC MUST terminate the dialog by sending a BYE request".
   */
  #ackAndBye(invite: SipRequest, response: SipResponse): void {
    const created = Dialog.fromUacResponse(invite, response, { random: this.#host.random });
    if (!created.ok || !created.value) return;
    const dialog = created.value;
    this.#host.layer.sendAck(dialog.createAck(cseqOf(response)));
    void this.#transact(dialog.createRequest('BYE')).then(() => dialog.terminate());
  }

  #sendAck(dialog: Dialog, cseq: number, body?: string): void {
    const ack = dialog.createAck(
      cseq,
      body === undefined ? {} : { headers: [['Content-Type', SDP_CONTENT_TYPE]], body },
    );
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
    if (this.direction !== 'outgoing') throw new InvalidStateError('only an outgoing call can be cancelled');
    switch (this.#state) {
      case S.Initial:
        this.#end('local', 'cancel');
        return;
      case S.Calling:
      case S.Proceeding:
        this.#cancel = { requested: true, sent: false, reason };
        this.transition(S.Cancelling);
        if (this.#provisionalSeen) this.#sendCancel();
        return;
      default:
        throw new InvalidStateError(`cannot cancel a call in the ${this.#state} state`);
    }
  }

  #sendCancel(): void {
    const invite = this.#invite;
    if (!invite) return;
    this.#cancel.sent = true;
    // §9.1: "The Request-URI, Call-ID, To, the numeric part of CSeq, and From header fields in the
    // CANCEL request MUST be identical to those in the request being cancelled, including tags. A
    // CANCEL constructed by a client MUST have only a single Via header field value matching the
    // top Via value in the request being cancelled." "If the request being cancelled contains a
    // Route header field, the CANCEL request MUST include that Route header field's values."
    const fields: Array<readonly [string, string]> = [];
    const via = invite.headers.getAll('Via')[0];
    if (via !== undefined) fields.push(['Via', via]);
    fields.push(['Max-Forwards', '70']);
    for (const name of ['To', 'From', 'Call-ID'] as const) {
      const value = invite.headers.get(name);
      if (value !== undefined) fields.push([name, value]);
    }
    fields.push(['CSeq', `${cseqOf(invite)} CANCEL`]);
    for (const route of invite.headers.getAll('Route')) fields.push(['Route', route]);
    if (this.#cancel.reason !== undefined) fields.push(['Reason', this.#cancel.reason]);
    this.#host.layer.sendRequest(createRequest('CANCEL', invite.uri, fields), {});
    // §9.1: "If there is no final response for the original request in 64*T1 seconds ..., the
    // client SHOULD then consider the original transaction cancelled".
    this.#startTimer('cancel-guard', 64 * this.#host.settings.t1, () => {
      if (this.#state === S.Cancelling) this.#end('local', 'cancel');
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
    const incoming = this.#assertIncoming('progress');
    const status = options.status ?? 180;
    let body: string | undefined;
    if (options.earlyMedia && this.#oa.state === OfferAnswerState.HaveRemoteOffer) {
      body = await this.#makeAnswer();
      if (body === undefined || this.#state !== S.Incoming) return;
      this.#earlyAnswer = body;
    }
    this.#ensureUasDialog();
    incoming.transaction.respond(this.#uasResponse(status, [], body));
  }

  /**
   * Answers the call with a 2xx carrying our answer, or our offer when the INVITE had none (late
   * offer: the answer then comes in the ACK). The 2xx is retransmitted until the ACK arrives
   * (§13.3.1.4). Resolves once the 2xx is sent.
   * @throws InvalidStateError unless the call is incoming and unanswered.
   */
  async answer(): Promise<void> {
    const incoming = this.#assertIncoming('answer');
    if (this.#answering) throw new InvalidStateError('answer() is already in progress');
    this.#answering = true;
    let body: string | undefined;
    if (this.#earlyAnswer !== undefined) {
      body = this.#earlyAnswer;
    } else if (this.#oa.state === OfferAnswerState.HaveRemoteOffer) {
      body = await this.#makeAnswer();
      if (body === undefined) return;
    } else {
      try {
        body = await this.#handler.getOffer({ hold: false });
      } catch (error) {
        this.#log.warn('answer() | no local offer', { error: String(error) });
        if (this.#state === S.Incoming) this.#rejectWith(500, 'not-acceptable', 'local media failed');
        return;
      }
      if (this.#state !== S.Incoming) return;
      this.#oa.setLocalOffer();
    }
    if (this.#state !== S.Incoming) return;
    const timer = negotiateAsUas(incoming.request, this.#host.settings.sessionTimer);
    const timerHeaders = timer.kind === 'accept' ? timer.headers : [];
    const dialog = this.#ensureUasDialog();
    // §12.1.1: the 2xx confirms the UAS dialog.
    if (dialog.state === 'early') dialog.confirm();
    const response = this.#uasResponse(200, timerHeaders, body);
    incoming.transaction.respond(response);
    this.transition(S.Answering);
    if (timer.kind === 'accept') this.#agreement = timer.agreement;
    this.#awaitAck(cseqOf(incoming.request), response, incoming.transaction, (ack) => {
      if (this.#oa.state === OfferAnswerState.HaveLocalOffer) {
        if (!hasSdp(ack)) {
          // §13.3.1.4 (late offer): the ACK must carry the answer; without it the session has no
          // media agreement and is ended.
          this.#oa.rollback();
          this.transition(S.Established);
          this.#byeAndEnd('system', 'not-acceptable', undefined, 'no answer in the ACK');
          return;
        }
        this.#oa.setRemoteAnswer(ack.body);
        this.#apply(() => this.#handler.setAnswer(ack.body));
      }
      this.transition(S.Established);
      this.#armSessionTimer(this.#agreement);
      this.#events.emit('confirmed', undefined);
      if (this.#byeAfterAck !== undefined) this.bye(this.#byeAfterAck || undefined);
      else this.#pump();
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
      throw new InvalidArgumentError(`reject() needs a 3xx–6xx status, got ${status}`);
    this.#rejectWith(status, causeOfStatus(status), reason);
  }

  #rejectWith(status: number, cause: EndCause, reason?: string): void {
    const incoming = this.#incoming;
    if (!incoming) return;
    const response = createResponseTo(incoming.request, status, {
      toTag: incoming.tag,
      ...(reason === undefined ? {} : { reason }),
    });
    incoming.transaction.respond(response);
    this.#end('local', cause, { status, reason: response.reason });
  }

  #assertIncoming(operation: string): {
    request: SipRequest;
    transaction: InviteServerTransaction;
    tag: string;
  } {
    if (!this.#incoming || this.#state !== S.Incoming)
      throw new InvalidStateError(`${operation}() needs an unanswered incoming call (state ${this.#state})`);
    return this.#incoming;
  }

  async #makeAnswer(): Promise<string | undefined> {
    const offer = this.#oa.remoteOffer ?? '';
    try {
      const answer = await this.#handler.getAnswer(offer, { hold: this.#held });
      if (this.#oa.state === OfferAnswerState.HaveRemoteOffer) this.#oa.setLocalAnswer();
      return answer;
    } catch (error) {
      this.#log.warn('answer() | media refused the offer', { error: String(error) });
      // §13.3.1.3 / RFC 3261 §21.4.26: 488 when the offer cannot be accepted.
      if (this.#state === S.Incoming) this.#rejectWith(488, 'not-acceptable');
      return undefined;
    }
  }

  #ensureUasDialog(): Dialog {
    if (this.#dialog) return this.#dialog;
    const incoming = this.#incoming!;
    const created = Dialog.fromUasRequest(incoming.request, incoming.tag, this.#host.contact(), {
      random: this.#host.random,
    });
    // The session layer checked the INVITE's Contact/From/To before creating the session.
    if (!created.ok) throw new InvalidStateError(`cannot create the dialog: ${created.error.message}`);
    this.#dialog = created.value;
    this.#host.bindDialog(created.value, this);
    return created.value;
  }

  /** A dialog-creating response of ours: Contact, Record-Route copied (§12.1.1), Allow, Supported. */
  #uasResponse(status: number, extra: ReadonlyArray<readonly [string, string]>, body?: string): SipResponse {
    const incoming = this.#incoming!;
    const headers: Array<readonly [string, string]> = [];
    // §12.1.1: "the UAS MUST copy all Record-Route header field values from the request into the
    // response (including the URIs, URI parameters, and any Record-Route header field parameters,
    // whether they are known or unknown to the UAS) and MUST maintain the order of those values."
    for (const rr of incoming.request.headers.getAll('Record-Route')) headers.push(['Record-Route', rr]);
    headers.push(['Contact', formatNameAddr(this.#host.contact())]);
    headers.push(['Allow', this.#host.settings.allow.join(', ')]);
    headers.push(['Supported', this.#host.settings.supported.join(', ')]);
    headers.push(...extra);
    if (body !== undefined) headers.push(['Content-Type', SDP_CONTENT_TYPE]);
    return createResponseTo(incoming.request, status, {
      toTag: incoming.tag,
      headers,
      ...(body === undefined ? {} : { body }),
    });
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
    cseq: number,
    response: SipResponse,
    transaction: InviteServerTransaction,
    onAck: (ack: SipRequest) => void,
  ): void {
    this.#unacked = { cseq, response, transaction, onAck };
    const { t1, t2 } = this.#host.settings;
    const retransmit = (interval: number): void => {
      this.#startTimer('2xx', interval, () => {
        if (this.#unacked?.response !== response || transaction.isTerminated) return;
        transaction.respond(response);
        retransmit(Math.min(2 * interval, t2));
      });
    };
    retransmit(t1);
    this.#startTimer('no-ack', 64 * t1, () => {
      if (this.#unacked?.response !== response) return;
      this.#unacked = undefined;
      this.#clearTimer('2xx');
      this.#log.warn('awaitAck() | no ACK for the 2xx in 64·T1');
      if (this.#state === S.Answering) this.transition(S.Established);
      this.#byeAndEnd('system', 'no-ack');
    });
  }

  /** An ACK routed to this session by the session layer (the ACK of one of our 2xx). */
  receiveAck(ack: SipRequest): void {
    const unacked = this.#unacked;
    if (!unacked || cseqOf(ack) !== unacked.cseq) return; // a retransmitted ACK: absorbed
    this.#unacked = undefined;
    this.#clearTimer('2xx');
    this.#clearTimer('no-ack');
    unacked.onAck(ack);
  }

  /** A CANCEL matched to our INVITE server transaction (§9.2); the layer already answered it 200. */
  receiveCancel(cancel: SipRequest): void {
    // §9.2: "If the UAS had not issued a final response for the original request, its behavior
    // depends on the method of the original request. If the original request was an INVITE, the
    // UAS SHOULD immediately respond to the INVITE with a 487 (Request Terminated)."
    if (this.#state !== S.Incoming || !this.#incoming) return;
    const reasons = reasonsOf(cancel);
    this.#incoming.transaction.respond(
      createResponseTo(this.#incoming.request, 487, { toTag: this.#incoming.tag }),
    );
    const elsewhere = isCompletedElsewhere(reasons);
    const text = reasons.find((r) => r.text !== undefined)?.text;
    this.#end('remote', elsewhere ? 'completed-elsewhere' : 'cancel', {
      reasons,
      ...(text === undefined ? {} : { reason: text }),
    });
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
    if (this.#state === S.Answering) {
      this.#byeAfterAck = reason ?? '';
      return;
    }
    if (this.#state !== S.Established)
      throw new InvalidStateError(`cannot send BYE in the ${this.#state} state`);
    this.#byeAndEnd('local', 'bye', reason);
  }

  /** Ends the call whatever its state: CANCEL, reject (603), BYE, or nothing when already ending. */
  hangup(reason?: string): void {
    switch (this.#state) {
      case S.Initial:
      case S.Calling:
      case S.Proceeding:
        this.cancel(reason);
        return;
      case S.Incoming:
        this.reject(603);
        return;
      case S.Answering:
      case S.Established:
        this.bye(reason);
        return;
      default:
        return;
    }
  }

  /** Sends BYE on the dialog and ends the session when it is answered (or fails). */
  #byeAndEnd(originator: EndOriginator, cause: EndCause, reasonHeader?: string, reason?: string): void {
    const dialog = this.#dialog;
    if (!dialog || dialog.state === 'terminated') {
      this.#end(originator, cause, reason === undefined ? {} : { reason });
      return;
    }
    if (this.#state !== S.Terminating) this.transition(S.Terminating);
    this.#clearTimer('session-timer');
    const bye = dialog.createRequest(
      'BYE',
      reasonHeader === undefined ? {} : { headers: [['Reason', reasonHeader]] },
    );
    void this.#transact(bye).then(() => this.#end(originator, cause, reason === undefined ? {} : { reason }));
  }

  // ─────────────────────────── requests inside the dialog ───────────────────────────

  /**
   * A request inside one of this session's dialogs (the layer matched it, §12.2.2). Answers it
   * through `transaction`.
   */
  receiveRequest(dialog: Dialog, request: SipRequest, transaction: ServerTransaction): void {
    const respond = (status: number, extra: Array<readonly [string, string]> = [], body?: string) =>
      transaction.respond(
        createResponseTo(request, status, {
          headers: body === undefined ? extra : [...extra, ['Content-Type', SDP_CONTENT_TYPE]],
          ...(body === undefined ? {} : { body }),
        }),
      );
    if (dialog.state === 'terminated') {
      respond(481);
      return;
    }
    const verdict = dialog.receiveRequest(request);
    if (verdict.kind === 'reject') {
      respond(verdict.status);
      return;
    }
    switch (request.method) {
      case 'BYE':
        this.#receiveBye(dialog, request, respond);
        return;
      case 'INVITE':
        void this.#receiveReinvite(request, transaction as InviteServerTransaction, respond);
        return;
      case 'UPDATE':
        void this.#receiveUpdate(request, respond);
        return;
      case 'INFO':
        this.#receiveInfo(request, respond);
        return;
      case 'OPTIONS':
        respond(200, [
          ['Allow', this.#host.settings.allow.join(', ')],
          ['Accept', SDP_CONTENT_TYPE],
        ]);
        return;
      default:
        // PRACK: we never send reliable provisional responses, so nothing can match (RFC 3262 §4).
        respond(481);
    }
  }

  /**
   * RFC 6086 §4.2.2 (UAS behaviour): the INFO goes to the session's user, who knows which bodies
   * it can use and so which answer is right (RFC 3261 §8.2.3: 415 for a body type it does not
   * understand); one it does not answer gets 200.
   */
  #receiveInfo(
    request: SipRequest,
    respond: (status: number, extra?: Array<readonly [string, string]>) => void,
  ): void {
    let answered = false;
    const type = getContentType(request);
    this.#events.emit('info', {
      contentType: type.ok && type.value ? `${type.value.type}/${type.value.subtype}` : undefined,
      body: request.body,
      request,
      respond: (status, headers = []) => {
        if (!Number.isInteger(status) || status < 200 || status > 699)
          throw new InvalidArgumentError(`an INFO needs a final status 200–699, got ${status}`);
        if (answered) throw new InvalidStateError('this INFO has already been answered');
        answered = true;
        respond(status, [...headers]);
      },
    });
    if (!answered) {
      answered = true;
      respond(200);
    }
  }

  #receiveBye(dialog: Dialog, request: SipRequest, respond: (status: number) => void): void {
    if (dialog !== this.#dialog && this.direction === 'outgoing') {
      // A BYE on an early dialog of a fork we did not keep: just end that dialog.
      respond(200);
      dialog.terminate();
      return;
    }
    // §15.1.2: "the UAS MUST still respond to any pending requests received for that dialog. It is
    // RECOMMENDED that a 487 (Request Terminated) response be generated to those pending requests."
    if (this.#state === S.Incoming && this.#incoming)
      this.#incoming.transaction.respond(
        createResponseTo(this.#incoming.request, 487, { toTag: this.#incoming.tag }),
      );
    for (const pending of this.#pendingServerRequests) {
      if (pending.isTerminated) continue;
      try {
        pending.respond(createResponseTo(pending.request, 487));
      } catch {
        // Already answered: nothing left to end.
      }
    }
    respond(200);
    const reasons = reasonsOf(request);
    const text = reasons.find((r) => r.text !== undefined)?.text;
    this.#end('remote', 'bye', { reasons, ...(text === undefined ? {} : { reason: text }) });
  }

  /** §14.2: a re-INVITE from the peer. */
  async #receiveReinvite(
    request: SipRequest,
    transaction: InviteServerTransaction,
    respond: (status: number, extra?: Array<readonly [string, string]>, body?: string) => void,
  ): Promise<void> {
    if (this.#localBusy) {
      // §14.2: "A UAS that receives an INVITE on a dialog while an INVITE it had sent on that
      // dialog is in progress MUST return a 491 (Request Pending) response to the received INVITE."
      // RFC 3311 §5.2 extends it to an offer of ours in an UPDATE.
      respond(491);
      return;
    }
    if (this.#remoteOffer || this.#state !== S.Established) {
      // §14.2: "A UAS that receives a second INVITE before it sends the final response to a first
      // INVITE with a lower CSeq sequence number on the same dialog MUST return a 500 (Server
      // Internal Error) response to the second INVITE and MUST include a Retry-After header field
      // with a randomly chosen value of between 0 and 10 seconds."
      respond(500, [['Retry-After', String(this.#randomBelow(11))]]);
      return;
    }
    const timer = negotiateAsUas(request, this.#host.settings.sessionTimer);
    if (timer.kind === 'reject') {
      respond(422, [['Min-SE', String(timer.minSE)]]);
      return;
    }
    this.#remoteOffer = true;
    this.#pendingServerRequests.add(transaction);
    this.#setPending({ kind: 'remote-offer', method: 'INVITE' });
    let body: string;
    const offered = hasSdp(request);
    try {
      if (offered) {
        this.#oa.setRemoteOffer(request.body);
        body = await this.#handler.getAnswer(request.body, { hold: this.#held });
      } else {
        // §14.2 with RFC 6337 §5: an offerless re-INVITE makes us offer in the 2xx; the answer
        // comes in the ACK.
        body = await this.#handler.getOffer({ hold: this.#held });
      }
    } catch (error) {
      this.#log.warn('reinvite() | media refused', { error: String(error) });
      this.#oa.rollback();
      this.#finishRemote(transaction);
      if (!transaction.isTerminated && this.#state === S.Established) respond(488);
      return;
    }
    if (this.#state !== S.Established || transaction.isTerminated) {
      this.#finishRemote(transaction);
      return;
    }
    if (offered) this.#oa.setLocalAnswer();
    else this.#oa.setLocalOffer();
    const response = createResponseTo(request, 200, {
      headers: [
        ['Contact', formatNameAddr(this.#host.contact())],
        ['Allow', this.#host.settings.allow.join(', ')],
        ['Supported', this.#host.settings.supported.join(', ')],
        ...timer.headers,
        ['Content-Type', SDP_CONTENT_TYPE],
      ],
      body,
    });
    transaction.respond(response);
    this.#awaitAck(cseqOf(request), response, transaction, (ack) => {
      if (this.#oa.state === OfferAnswerState.HaveLocalOffer) {
        if (hasSdp(ack)) {
          this.#oa.setRemoteAnswer(ack.body);
          this.#apply(() => this.#handler.setAnswer(ack.body));
        } else {
          this.#oa.rollback();
          this.#apply(() => this.#handler.rollback());
        }
      }
      this.#armSessionTimer(timer.agreement);
      this.#finishRemote(transaction);
      this.#events.emit('renegotiated', 'remote');
    });
  }

  /** RFC 3311 §5.2: an UPDATE from the peer, with an offer or only refreshing the session. */
  async #receiveUpdate(
    request: SipRequest,
    respond: (status: number, extra?: Array<readonly [string, string]>, body?: string) => void,
  ): Promise<void> {
    const timer = negotiateAsUas(request, this.#host.settings.sessionTimer);
    if (timer.kind === 'reject') {
      respond(422, [['Min-SE', String(timer.minSE)]]);
      return;
    }
    if (!hasSdp(request)) {
      respond(200, [['Contact', formatNameAddr(this.#host.contact())], ...timer.headers]);
      this.#armSessionTimer(timer.agreement);
      return;
    }
    if (this.#localBusy || this.#oa.state === OfferAnswerState.HaveLocalOffer) {
      // "If an UPDATE is received that contains an offer, and the UAS has generated an offer ...
      // to which it has not yet received an answer, the UAS MUST reject the UPDATE with a 491".
      respond(491);
      return;
    }
    if (this.#remoteOffer || this.#oa.state === OfferAnswerState.HaveRemoteOffer) {
      // "... and the UAS has received an offer ... to which it has not yet generated an answer, the
      // UAS MUST reject the UPDATE with a 500 response, and MUST include a Retry-After".
      respond(500, [['Retry-After', String(this.#randomBelow(11))]]);
      return;
    }
    this.#remoteOffer = true;
    this.#setPending({ kind: 'remote-offer', method: 'UPDATE' });
    this.#oa.setRemoteOffer(request.body);
    try {
      const answer = await this.#handler.getAnswer(request.body, { hold: this.#held });
      this.#oa.setLocalAnswer();
      if (this.#state === S.Terminated) return;
      respond(200, [['Contact', formatNameAddr(this.#host.contact())], ...timer.headers], answer);
      this.#armSessionTimer(timer.agreement);
      this.#events.emit('renegotiated', 'remote');
    } catch (error) {
      this.#log.warn('update() | media refused', { error: String(error) });
      this.#oa.rollback();
      if (this.#state !== S.Terminated) respond(488);
    } finally {
      this.#finishRemote(undefined);
    }
  }

  #finishRemote(transaction: ServerTransaction | undefined): void {
    if (transaction) this.#pendingServerRequests.delete(transaction);
    this.#remoteOffer = false;
    this.#setPending(undefined);
    this.#pump();
  }

  // ───────────────────────────── local changes (§14.1) ─────────────────────────────

  /** Holds the call: a re-INVITE with a hold offer; committed on its 2xx. */
  hold(): Promise<ChangeOutcome> {
    return this.#enqueue({ kind: 'hold', method: 'INVITE' }, true, true);
  }

  /** Resumes a held call; committed on the 2xx. */
  unhold(): Promise<ChangeOutcome> {
    return this.#enqueue({ kind: 'resume', method: 'INVITE' }, true, false);
  }

  /**
   * A new offer/answer exchange keeping the hold state: by re-INVITE (with an offer, or offerless
   * so that the peer offers in its 2xx) or by UPDATE (RFC 3311, with an offer).
   */
  renegotiate(options: { method?: 'INVITE' | 'UPDATE'; offer?: boolean } = {}): Promise<ChangeOutcome> {
    const method = options.method ?? 'INVITE';
    const offer = method === 'UPDATE' ? true : (options.offer ?? true);
    return this.#enqueue({ kind: 'renegotiate', method }, offer, this.#held);
  }

  /**
   * Sends INFO (RFC 6086) with an opaque body, e.g. `application/dtmf-relay`. Resolves with the
   * final status (0 on timeout or transport error).
   * @throws InvalidStateError unless the call is established.
   */
  async info(contentType: string, body: string): Promise<number> {
    if (this.#state !== S.Established || !this.#dialog)
      throw new InvalidStateError(`cannot send INFO in the ${this.#state} state`);
    const result = await this.#transactInDialog(this.#dialog, 'INFO', [['Content-Type', contentType]], body);
    return result.kind === 'final' ? result.response.status : 0;
  }

  #enqueue(change: PendingChange, offer: boolean, hold: boolean): Promise<ChangeOutcome> {
    if (this.#state !== S.Established && this.#state !== S.Answering)
      throw new InvalidStateError(`cannot change the session in the ${this.#state} state`);
    return new Promise((resolve) => {
      this.#queue.push({ change, offer, hold, resolve });
      this.#pump();
    });
  }

  /** Runs the next local operation when nothing else is negotiating. */
  #pump(): void {
    if (this.#localBusy || this.#remoteOffer || this.#state !== S.Established) return;
    if (this.#timers.has('glare')) return;
    const op = this.#queue.shift();
    if (!op) return;
    this.#localBusy = true;
    this.#setPending(op.change);
    void this.#runLocal(op);
  }

  async #runLocal(op: LocalOperation): Promise<void> {
    const dialog = this.#dialog!;
    const finish = (outcome: ChangeOutcome): void => {
      this.#localBusy = false;
      this.#setPending(undefined);
      op.resolve(outcome);
      this.#pump();
    };
    let offer: string | undefined;
    if (op.offer) {
      try {
        offer = await this.#handler.getOffer({ hold: op.hold });
      } catch (error) {
        finish({ ok: false, reason: `local media failed: ${String(error)}` });
        return;
      }
      if (this.#state !== S.Established) {
        this.#apply(() => this.#handler.rollback());
        finish({ ok: false, reason: 'session ended' });
        return;
      }
      this.#oa.setLocalOffer();
    }
    const s = this.#host.settings;
    const fields: Array<readonly [string, string]> = [
      ['Allow', s.allow.join(', ')],
      ['Supported', s.supported.join(', ')],
    ];
    if (this.#agreement || op.change.kind === 'refresh')
      fields.push(
        // RFC 4028 §7.4: a refresh keeps the refresher of the previous negotiation, named from the
        // point of view of this transaction (we are its UAC).
        ...requestTimerHeaders(
          s.sessionTimer,
          this.#agreement?.interval ?? s.sessionTimer.interval,
          (this.#agreement?.weRefresh ?? true) ? 'uac' : 'uas',
        ),
      );
    if (offer !== undefined) fields.push(['Content-Type', SDP_CONTENT_TYPE]);
    const result = await this.#transactInDialog(dialog, op.change.method, fields, offer);
    if (this.#state === S.Terminated) {
      finish({ ok: false, reason: 'session ended' });
      return;
    }
    if (result.kind !== 'final') {
      if (offer !== undefined) this.#abandonOffer();
      finish({ ok: false, reason: result.kind });
      // §12.2.1.2: a 408 (or a timeout, treated as one) "SHOULD terminate the dialog".
      this.#byeAndEnd('system', result.kind === 'timeout' ? 'request-timeout' : 'transport-error');
      return;
    }
    const response = result.response;
    const status = response.status;
    if (status >= 200 && status < 300) {
      await this.#committed(op, result.request, response);
      finish({ ok: true });
      return;
    }
    if (offer !== undefined) this.#abandonOffer();
    if (status === 491) {
      // §14.1: "If a UAC receives a 491 response to a re-INVITE, it SHOULD start a timer with a
      // value T chosen as follows: 1. If the UAC is the owner of the Call-ID of the dialog ID
      // (meaning it generated the value), T has a randomly chosen value between 2.1 and 4 seconds
      // in units of 10 ms. 2. If the UAC is not the owner of the Call-ID of the dialog ID, T has a
      // randomly chosen value of between 0 and 2 seconds in units of 10 ms. When the timer fires,
      // the UAC SHOULD attempt the re-INVITE once more". RFC 3311 §5.1 applies it to UPDATE.
      const delay =
        this.direction === 'outgoing' ? 2100 + this.#randomBelow(191) * 10 : this.#randomBelow(201) * 10;
      this.#log.info(`runLocal() | 491, retrying in ${delay} ms`);
      this.#queue.unshift(op);
      this.#localBusy = false;
      this.#startTimer('glare', delay, () => this.#pump());
      return;
    }
    finish({ ok: false, status, reason: describe(response) });
    if (status === 481 || status === 408) {
      // §12.2.1.2: "If the response for a request within a dialog is a 481 (Call/Transaction Does
      // Not Exist) or a 408 (Request Timeout), the UAC SHOULD terminate the dialog."
      if (status === 481) this.#end('remote', 'dialog-error', { status, reason: response.reason, response });
      else this.#byeAndEnd('system', 'request-timeout');
    }
  }

  /** The 2xx of a local change: complete the exchange, ACK a re-INVITE, commit the change. */
  async #committed(op: LocalOperation, request: SipRequest, response: SipResponse): Promise<void> {
    const dialog = this.#dialog!;
    const cseq = cseqOf(response);
    let ackBody: string | undefined;
    if (this.#oa.state === OfferAnswerState.HaveLocalOffer) {
      if (hasSdp(response)) {
        this.#oa.setRemoteAnswer(response.body);
        await this.#settle(() => this.#handler.setAnswer(response.body));
      } else this.#abandonOffer();
    } else if (!op.offer && hasSdp(response)) {
      // Offerless re-INVITE: the 2xx offers, our ACK answers.
      this.#oa.setRemoteOffer(response.body);
      try {
        ackBody = await this.#handler.getAnswer(response.body, { hold: op.hold });
        this.#oa.setLocalAnswer();
      } catch {
        this.#oa.rollback();
      }
    }
    if (request.method === 'INVITE' && dialog.state !== 'terminated') this.#sendAck(dialog, cseq, ackBody);
    this.#armSessionTimer(agreementFromResponse(response) ?? this.#agreement);
    if (op.change.kind === 'hold' || op.change.kind === 'resume') {
      const changed = this.#held !== op.hold;
      this.#held = op.hold;
      if (changed) this.#events.emit('hold', op.hold);
    }
    if (op.change.kind !== 'refresh') this.#events.emit('renegotiated', 'local');
  }

  #abandonOffer(): void {
    // RFC 3261 §14.1: "If a UA receives a non-2xx final response to a re-INVITE, the session
    // parameters MUST remain unchanged, as if no re-INVITE had been issued."
    if (this.#oa.state !== OfferAnswerState.HaveLocalOffer) return;
    this.#oa.rollback();
    this.#apply(() => this.#handler.rollback());
  }

  // ───────────────────────────── session timers (RFC 4028) ─────────────────────────────

  #armSessionTimer(agreement: SessionTimerAgreement | undefined): void {
    this.#clearTimer('session-timer');
    this.#agreement = agreement;
    this.#events.emit('sessionTimer', agreement);
    if (!agreement || this.#state !== S.Established) return;
    this.#startTimer('session-timer', refreshDelayMs(agreement), () => {
      if (this.#state !== S.Established) return;
      if (!agreement.weRefresh) {
        // §10: "If the side not performing refreshes does not receive a session refresh request
        // before the session expiration, it SHOULD send a BYE to terminate the session".
        this.#byeAndEnd('system', 'session-expired');
        return;
      }
      // §7.4/§8: refresh with UPDATE when the peer allows it (no offer needed), else re-INVITE.
      const update = this.#peerAllow?.includes('UPDATE') ?? false;
      void this.#enqueue({ kind: 'refresh', method: update ? 'UPDATE' : 'INVITE' }, !update, this.#held);
    });
  }

  // ───────────────────────────── plumbing ─────────────────────────────

  /** Sends a request built by the dialog, answering a digest challenge once (§22.2). */
  async #transactInDialog(
    dialog: Dialog,
    method: string,
    headers: ReadonlyArray<readonly [string, string]>,
    body?: string,
  ): Promise<RequestResult> {
    const build = (extra: ReadonlyArray<readonly [string, string]>) =>
      dialog.createRequest(method, {
        headers: [...headers, ...extra],
        ...(body === undefined ? {} : { body }),
      });
    let request = build([]);
    let result = await this.#transact(request);
    if (result.kind === 'final' && (result.response.status === 401 || result.response.status === 407)) {
      const retry = this.#authorizedRetry(request, result.response);
      const header = retry?.headers.has('Authorization') ? 'Authorization' : 'Proxy-Authorization';
      const value = retry?.headers.get(header);
      if (value !== undefined && dialog.state !== 'terminated') {
        request = build([[header, value]]);
        result = await this.#transact(request);
      }
    }
    return result;
  }

  /** One client transaction as a promise; later 2xx (retransmissions) are re-ACKed. */
  #transact(request: SipRequest): Promise<RequestResult> {
    return new Promise((resolve) => {
      const sent = this.#host.layer.sendRequest(request, {
        onFinal: (response) => resolve({ kind: 'final', response, request: sent?.request ?? request }),
        onAdditional2xx: (response) => this.receiveRetransmitted2xx(response),
        onTimeout: () => resolve({ kind: 'timeout', request }),
        onTransportError: () => resolve({ kind: 'transport-error', request }),
      });
    });
  }

  /** Runs handler work whose failure only needs logging (the exchange already committed on the wire). */
  #apply(work: () => Promise<void>): void {
    void this.#settle(work);
  }

  async #settle(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.#log.warn('media | handler failed', { error: String(error) });
    }
  }

  #setPending(change: PendingChange | undefined): void {
    if (this.#pending === change) return;
    this.#pending = change;
    this.#events.emit('pending', change);
  }

  /** A uniformly chosen integer in [0, n) from the injected random source. */
  #randomBelow(n: number): number {
    return Number.parseInt(this.#host.random.hex(4), 16) % n;
  }

  #startTimer(name: string, ms: number, callback: () => void): void {
    this.#clearTimer(name);
    const handle = this.#host.clock.setTimeout(() => {
      this.#timers.delete(name);
      callback();
    }, ms);
    this.#timers.set(name, handle);
  }

  #clearTimer(name: string): void {
    const handle = this.#timers.get(name);
    if (handle === undefined) return;
    this.#host.clock.clearTimeout(handle);
    this.#timers.delete(name);
  }

  /** Ends the session: every timer, dialog and queued change goes; `ended` is emitted once. */
  #end(
    originator: EndOriginator,
    cause: EndCause,
    detail: {
      status?: number;
      reason?: string;
      reasons?: readonly ReasonInfo[];
      response?: SipResponse;
    } = {},
  ): void {
    if (this.#state === S.Terminated) return;
    for (const handle of this.#timers.values()) this.#host.clock.clearTimeout(handle);
    this.#timers.clear();
    this.#unacked = undefined;
    for (const early of this.#early.values()) early.dialog.terminate();
    this.#early.clear();
    this.#dialog?.terminate();
    this.#ended = { originator, cause, ...detail };
    this.transition(S.Terminated);
    for (const op of this.#queue.splice(0)) op.resolve({ ok: false, reason: 'session ended' });
    try {
      this.#handler.close();
    } catch (error) {
      this.#log.warn('end() | handler close failed', { error: String(error) });
    }
    this.#host.released(this);
    this.#events.emit('ended', this.#ended);
  }

  /** Ends the session from outside (the user agent stopping): BYE, CANCEL or reject as needed. */
  dispose(): void {
    if (this.#state === S.Terminated) return;
    try {
      this.hangup();
    } catch {
      // Whatever state we were in, the session ends below.
    }
    this.#end('system', 'transport-error', { reason: 'user agent stopped' });
  }

  /**
   * The only way the call state changes.
   * @throws InvalidStateError on an edge not drawn in the class diagram.
   */
  private transition(to: InviteSessionState): void {
    const from = this.#state;
    if (!EDGES[from].includes(to))
      throw new InvalidStateError(`invite session: illegal transition ${from} → ${to}`);
    this.#state = to;
    this.#log.debug(`transition() | ${from} → ${to}`);
    this.#events.emit('state', to, from);
  }
}

function tokensOf(message: SipRequest | SipResponse, name: 'Allow'): readonly string[] | undefined {
  if (!message.headers.has(name)) return undefined;
  const allow = getAllow(message);
  return allow.ok ? allow.value.map((m) => m.toUpperCase()) : undefined;
}
