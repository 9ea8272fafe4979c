/**
 * The dialog, RFC 3261 §12: the peer-to-peer relationship between two UAs that persists for some
 * time, holding what is needed to build requests inside it (§12.2.1.1) and to check the requests
 * received inside it (§12.2.2).
 *
 * States (one `#transition` asserts these edges: a dialog only moves forward along this line):
 * ```
 *   early ──(2xx)──▶ confirmed ──▶ terminated
 *     └───────────(non-2xx final, BYE, …)───▶ terminated
 * ```
 * A dialog is created early by a 101–199 response with a To tag and confirmed by a 2xx (§12.1); a
 * 2xx can also create it confirmed directly. The usage (INVITE session, subscription) decides when
 * to terminate it; the dialog itself never does.
 */

import { formatNameAddr, getContact, getCSeq } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { NameAddr, Uri } from '../message/types';
import { fail, ok, type ParseResult } from '../parser/parse-result';
import { Emitter } from '../support/emitter';
import { InvalidStateError } from '../support/errors';
import { defaultRandom, type Random } from '../support/random';
import { buildRequest } from '../ua/request-builder';
import { dialogIdOf, dialogKey, type DialogParties } from './dialog-id';
import { inDialogTarget, routeSetOf, type RouteSet } from './route-set';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** The states in the order of the diagram above; every legal edge goes rightwards. */
const ORDER: readonly DialogState[] = ['early', 'confirmed', 'terminated'];

export type DialogEvents = {
  /** Every state change, after it happened. */
  state: [state: DialogState, previous: DialogState];
};

/**
 * Methods whose requests and 2xx responses replace the remote target (§12.2). RFC 3261 defines
 * only re-INVITE; RFC 3311 adds UPDATE, and RFC 6665 makes SUBSCRIBE and NOTIFY target refresh
 * requests of subscription dialogs.
 */
const isTargetRefresh = (method: string): boolean => /^(INVITE|UPDATE|SUBSCRIBE|NOTIFY)$/.test(method);

export interface DialogOptions {
  /** Source of the initial local CSeq of a UAS dialog (§12.2.1.1 via §8.1.1.5). */
  random?: Random;
}

export interface InDialogRequestOptions {
  /** Extra header fields, appended after the dialog's own (e.g. Content-Type, Event, Authorization). */
  headers?: ReadonlyArray<readonly [name: string, value: string]>;
  body?: string;
}

/** What a response received inside the dialog did to it ({@link Dialog.receiveResponse}). */
export type ResponseEffect = 'confirmed' | 'target-refreshed' | 'none';

/**
 * Whether a request received inside the dialog may be processed (§12.2.2). A reject carries the
 * status of the response the caller must send; it is a value, not an exception, because the
 * request came off the wire.
 */
export type InDialogRequestVerdict =
  { readonly kind: 'accept' } | { readonly kind: 'reject'; readonly status: 400 | 481 | 500 };

const ACCEPT: InDialogRequestVerdict = { kind: 'accept' };
const BAD_REQUEST: InDialogRequestVerdict = { kind: 'reject', status: 400 };

/**
 * Dialog state, §12. Build one with {@link Dialog.fromUacResponse} or {@link Dialog.fromUasRequest}.
 *
 * Route set: fixed at creation (§12.2: in-dialog requests and responses "do not cause the dialog's
 * route set to be modified"), except that a UAC's early dialog takes the route set of the 2xx that
 * confirms it (§13.2.2.4).
 *
 * The caller routes messages to the dialog by its id ({@link key}); the dialog does not check
 * again that a message is its own.
 */
export class Dialog {
  /** `dialogKey(id)`, for maps. */
  readonly key: string;
  #state: DialogState;
  /** Last CSeq number this UA used inside the dialog (see the constructor for a UAS). */
  #localSeq: number;
  /** Highest CSeq number received inside the dialog; 0 (below any number) until a UAC receives one. */
  #remoteSeq: number;
  /** Where requests inside the dialog are sent: the peer's latest Contact URI. */
  #remoteTarget: Uri;
  #routeSet: RouteSet;
  /** CSeq of the response that last refreshed the remote target, so a late 2xx cannot roll it back. */
  #refreshedBySeq = -1;
  readonly #events = new Emitter<DialogEvents>();
  /** The Contact this UA sends inside the dialog. */
  readonly #localTarget: NameAddr;

  /**
   * Use the factories. `peer` is the message the other UA sent (the response for a UAC, the
   * request for a UAS); the caller has checked that its Contact and Record-Route parse.
   */
  private constructor(
    /** The dialog id with the local and remote URI. */
    readonly id: DialogParties,
    state: DialogState,
    seq: number,
    uac: boolean,
    remoteTarget: Uri,
    routeSet: RouteSet,
    localTarget: NameAddr,
    random: Random,
  ) {
    this.key = dialogKey(id);
    this.#state = state;
    // §12.1.2: "The local sequence number MUST be set to the value of the sequence number in the
    // CSeq header field of the request. The remote sequence number MUST be empty". §12.1.1: "The
    // remote sequence number MUST be set to the value of the sequence number in the CSeq header
    // field of the request. The local sequence number MUST be empty."
    // §12.2.1.1: "If the local sequence number is empty, an initial value MUST be chosen using the
    // guidelines of Section 8.1.1.5" (below 2**31). A UAS draws it now rather than at its first
    // request, which nothing can tell apart; below 2**30, so that the first request's number, one
    // more, is below 2**31 too.
    this.#localSeq = uac ? seq : Number.parseInt(random.hex(4), 16) >>> 2;
    this.#remoteSeq = uac ? 0 : seq;
    this.#remoteTarget = remoteTarget;
    this.#routeSet = routeSet;
    this.#localTarget = localTarget;
  }

  /**
   * The dialog a UAC gets from a response to its dialog-creating request (§12.1.2): early for a
   * 101–199 with a To tag, confirmed for a 2xx.
   *
   * @param request the request as sent (its Contact is our local target).
   * @param response a response to `request`, as received; its From, Call-ID and CSeq echo the
   *   request's (§8.2.6.2).
   * @returns `ok(undefined)` when the response creates no dialog (§12.1: "only 2xx and 101-199
   *   responses with a To tag, where the request was INVITE, will establish a dialog" — other
   *   dialog-creating methods, such as SUBSCRIBE, are the caller's call), and a failure when a
   *   header the dialog needs does not parse or a Contact is missing.
   */
  static fromUacResponse(
    request: SipRequest,
    response: SipResponse,
    options: DialogOptions = {},
  ): ParseResult<Dialog | undefined> {
    const status = response.status;
    if (status < 101 || status > 299) return ok(undefined);
    const id = dialogIdOf(response);
    if (!id.ok) return id;
    // A 1xx without a To tag creates no dialog; a tag-less 2xx is an RFC 2543 peer whose remote
    // tag "is considered to have a value of null" (§12.1.2).
    if (status < 200 && !id.value.remoteTag) return ok(undefined);
    const localTarget = firstContact(request);
    if (!localTarget.ok) return localTarget;
    // "The remote URI MUST be set to the URI in the To field, and the local URI MUST be set to the
    // URI in the From field." "The remote target MUST be set to the URI from the Contact header
    // field of the response."
    return Dialog.#create(
      response,
      id.value,
      localTarget.value,
      status < 200 ? 'early' : 'confirmed',
      options,
    );
  }

  /**
   * The early dialog a UAS creates when it answers a dialog-creating request with a 101–199 or
   * 2xx that carries `localTag` in its To (§12.1.1); {@link confirm} it when the 2xx is sent.
   *
   * @param localTag the tag of our To: never empty (§12.1.1: the response "always includes a tag").
   * @param localContact the Contact the UAS puts in that response ("the UAS MUST add a Contact header field to the response").
   * @returns a failure when a header of the request does not parse or its Contact is missing; the
   *   caller answers 400.
   */
  static fromUasRequest(
    request: SipRequest,
    localTag: string,
    localContact: NameAddr,
    options: DialogOptions = {},
  ): ParseResult<Dialog> {
    // "The remote URI MUST be set to the URI in the From field, and the local URI MUST be set to
    // the URI in the To field." "The remote target MUST be set to the URI from the Contact header
    // field of the request."
    const id = dialogIdOf(request, localTag);
    return id.ok ? Dialog.#create(request, id.value, localContact, 'early', options) : id;
  }

  /** The part both factories share: CSeq, remote target and route set from the peer's message. */
  static #create(
    peer: SipRequest | SipResponse,
    id: DialogParties,
    localTarget: NameAddr,
    state: DialogState,
    options: DialogOptions,
  ): ParseResult<Dialog> {
    const cseq = getCSeq(peer);
    if (!cseq.ok) return cseq;
    const remoteTarget = firstContact(peer);
    if (!remoteTarget.ok) return remoteTarget;
    const routeSet = routeSetOf(peer);
    if (!routeSet.ok) return routeSet;
    return ok(
      new Dialog(
        id,
        state,
        cseq.value.seq,
        peer.kind === 'response',
        remoteTarget.value.uri,
        routeSet.value,
        localTarget,
        options.random ?? defaultRandom,
      ),
    );
  }

  get state(): DialogState {
    return this.#state;
  }

  /** Where requests inside the dialog are sent: the peer's latest Contact URI. */
  get remoteTarget(): Uri {
    return this.#remoteTarget;
  }

  on<K extends keyof DialogEvents>(event: K, listener: (...args: DialogEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * A UAS confirms its early dialog when it sends the 2xx (§12.1.1). A UAC dialog is confirmed by
   * {@link receiveResponse} with that 2xx instead, since the 2xx carries the final route set.
   * @throws InvalidStateError unless the dialog is early.
   */
  confirm(): void {
    this.#transition('confirmed');
  }

  /** Ends the dialog; idempotent, since BYE, 481 and a failed INVITE may all end it. */
  terminate(): void {
    if (this.#state !== 'terminated') this.#transition('terminated');
  }

  /**
   * Applies a response to a request this UA sent inside (or to create) the dialog.
   *
   * - A 2xx to the INVITE confirms an early UAC dialog, recomputing the route set and remote target
   *   from it (§13.2.2.4).
   * - A 2xx to a target refresh request replaces the remote target (§12.2.1.2).
   *
   * Responses on a terminated dialog (e.g. the 200 to our BYE) change nothing.
   *
   * @returns a failure when a header needed does not parse; the dialog is then left unchanged.
   */
  receiveResponse(response: SipResponse): ParseResult<ResponseEffect> {
    if (this.#state === 'terminated' || response.status < 200 || response.status > 299) return ok('none');
    const cseq = getCSeq(response);
    if (!cseq.ok) return cseq;
    const { seq, method } = cseq.value;
    // Only a UAC's early dialog can see a 2xx to an INVITE: a UAS sends no INVITE while the one
    // that created the dialog is still pending (§14.1).
    const confirming = this.#state === 'early' && method === 'INVITE';
    if (!confirming && (!isTargetRefresh(method) || seq < this.#refreshedBySeq)) return ok('none');
    const target = optionalContact(response);
    if (!target.ok) return target;
    if (confirming) {
      // §13.2.2.4: "If the dialog identifier in the 2xx response matches the dialog identifier of
      // an existing dialog, the dialog MUST be transitioned to the "confirmed" state, and the
      // route set for the dialog MUST be recomputed based on the 2xx response using the procedures
      // of Section 12.2.1.2. Otherwise, a new dialog in the "confirmed" state MUST be constructed"
      const routeSet = routeSetOf(response);
      if (!routeSet.ok) return routeSet;
      this.#routeSet = routeSet.value;
      // §12.2.1.2: "When a UAC receives a 2xx response to a target refresh request, it MUST
      // replace the dialog's remote target URI with the URI from the Contact header field in that
      // response, if present."
    } else if (!target.value) return ok('none');
    if (target.value) this.#remoteTarget = target.value.uri;
    this.#refreshedBySeq = seq;
    if (!confirming) return ok('target-refreshed');
    this.#transition('confirmed');
    return ok('confirmed');
  }

  /**
   * Processes a request received inside the dialog (§12.2.2): checks its CSeq against the remote
   * sequence number; if it passes, records that number and, for a target refresh request with a
   * Contact, the new remote target. On a reject nothing changes and the caller sends the verdict's
   * response. ACK and CANCEL reuse the CSeq number of the request they refer to and get no
   * response of their own, so they always pass and change nothing.
   */
  receiveRequest(request: SipRequest): InDialogRequestVerdict {
    // §12.2.2: a request for a dialog that is over gets "a 481 (Call/Transaction Does Not Exist)".
    if (this.#state === 'terminated') return { kind: 'reject', status: 481 };
    const method = request.method;
    const cseq = getCSeq(request);
    const target = isTargetRefresh(method) ? optionalContact(request) : ok(undefined);
    if (!cseq.ok || !target.ok) return BAD_REQUEST;
    if (method === 'ACK' || method === 'CANCEL') return ACCEPT;
    const seq = cseq.value.seq;
    // "If the remote sequence number was not empty, but the sequence number of the request is
    // lower than the remote sequence number, the request is out of order and MUST be rejected
    // with a 500 (Server Internal Error) response."
    if (seq < this.#remoteSeq) return { kind: 'reject', status: 500 };
    // "If the remote sequence number is empty, it MUST be set to the value of the sequence number
    // in the CSeq header field value in the request." ... "The UAS MUST then set the remote
    // sequence number to the value of the sequence number in the CSeq header field value in the
    // request." A jump of more than one is "not an error condition".
    this.#remoteSeq = seq;
    // §12.2.2: "When a UAS receives a target refresh request, it MUST replace the dialog's remote
    // target URI with the URI from the Contact header field in that request, if present."
    if (target.value) this.#remoteTarget = target.value.uri;
    return ACCEPT;
  }

  /**
   * Builds a request inside the dialog (§12.2.1.1): Request-URI and Route from the route set and
   * remote target, From/To/Call-ID from the dialog id, the next local CSeq, Max-Forwards 70, and our
   * Contact for target refresh requests and REFER. Via is the transaction layer's job. Not for ACK
   * (use {@link createAck}) nor CANCEL (built from the INVITE it cancels, §9.1).
   *
   * @throws InvalidStateError when the dialog is terminated.
   */
  createRequest(method: string, options: InDialogRequestOptions = {}): SipRequest {
    if (this.#state === 'terminated') throw new InvalidStateError(`${method}: dialog terminated`);
    // §12.2.1.1: "The local sequence number MUST be incremented by one". NOTE: the 32-bit limit of
    // §8.1.1.5 is not checked: from below 2**31 it takes 2**31 requests to reach it.
    const seq = this.#localSeq + 1;
    const request = this.#build(method, seq, options);
    // Committed only once the request was built, so a bad extra header does not burn a number.
    this.#localSeq = seq;
    return request;
  }

  /**
   * The ACK of a 2xx to an INVITE (§13.2.2.4): "The header fields of the ACK are constructed in the
   * same way as for any request sent within a dialog (see Section 12) with the exception of the
   * CSeq and the header fields related to authentication. The sequence number of the CSeq header
   * field MUST be the same as the INVITE being acknowledged". The local CSeq does not advance.
   * Only for a confirmed dialog (a 2xx confirms it before the ACK), with the CSeq of our INVITE.
   */
  createAck(inviteCSeq: number, options: InDialogRequestOptions = {}): SipRequest {
    return this.#build('ACK', inviteCSeq, options);
  }

  #build(method: string, seq: number, options: InDialogRequestOptions): SipRequest {
    const [requestUri, routes] = inDialogTarget(this.#routeSet, this.#remoteTarget);
    const id = this.id;
    // §8.1.1.8: "The Contact header field MUST be present and contain exactly one SIP or SIPS URI
    // in any request that can result in the establishment of a dialog": target refresh requests
    // (so that the peer learns our current target) and REFER (RFC 3515).
    const contact: Array<readonly [string, string]> =
      isTargetRefresh(method) || method === 'REFER' ? [['Contact', formatNameAddr(this.#localTarget)]] : [];
    return buildRequest(method, requestUri, {
      routes,
      // §12.2.1.1: "The URI in the To field of the request MUST be set to the remote URI from the
      // dialog state. The tag in the To header field of the request MUST be set to the remote tag
      // of the dialog ID. The From URI of the request MUST be set to the local URI from the dialog
      // state. The tag in the From header field of the request MUST be set to the local tag of the
      // dialog ID. If the value of the remote or local tags is null, the tag parameter MUST be
      // omitted from the To or From header fields, respectively."
      to: withTag(id.remote, id.remoteTag),
      from: withTag(id.local, id.localTag),
      // "The Call-ID of the request MUST be set to the Call-ID of the dialog."
      callId: id.callId,
      seq,
      headers: [...contact, ...(options.headers ?? [])],
      body: options.body,
    });
  }

  /**
   * Moves to `to`, asserting the edges of the class diagram.
   * @throws InvalidStateError on an illegal edge.
   */
  #transition(to: DialogState): void {
    const from = this.#state;
    if (ORDER.indexOf(to) <= ORDER.indexOf(from)) throw new InvalidStateError(`${from} → ${to}`);
    this.#state = to;
    this.#events.emit('state', to, from);
    if (to === 'terminated') this.#events.removeAllListeners();
  }
}

/** The first Contact of a message, required: a dialog needs a remote (or local) target. */
function firstContact(message: SipRequest | SipResponse): ParseResult<NameAddr> {
  const contact = optionalContact(message);
  if (!contact.ok) return contact;
  return contact.value ? ok(contact.value) : fail('missing-header', 0, 0, 'Contact');
}

/**
 * The first Contact of a message, if there is one. `*` (legal only in a REGISTER, §10.2.2) names
 * no target, so it counts as none.
 */
function optionalContact(message: SipRequest | SipResponse): ParseResult<NameAddr | undefined> {
  const contact = getContact(message);
  if (!contact.ok) return contact;
  const value = contact.value;
  return ok(value && !value.star ? value.contacts[0] : undefined);
}

/** From/To with the dialog's tag as its only parameter (none when the tag is null, §12.2.1.1). */
function withTag({ displayName, uri }: NameAddr, tag: string): NameAddr {
  return { displayName, uri, params: tag ? { tag } : {} };
}
