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

import { formatNameAddr, getContact, getCSeq, getFrom, getTo } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { NameAddr, Uri } from '../message/types';
import { fail, ok, type ParseResult } from '../parser/parse-result';
import { Emitter } from '../support/emitter';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import { defaultRandom, type Random } from '../support/random';
import { buildRequest } from '../ua/request-builder';
import { dialogIdFromRequest, dialogIdFromResponse, dialogKey, type DialogId } from './dialog-id';
import { inDialogTarget, routeSetFromRequest, routeSetFromResponse, type RouteSet } from './route-set';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** Which side of the dialog-creating request this UA was on. */
export type DialogRole = 'uac' | 'uas';

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

/** §8.1.1.5: "The sequence number value MUST be expressible as a 32-bit unsigned integer". */
const MAX_CSEQ = 0xffffffff;

export interface DialogOptions {
  /** Source of the initial local CSeq of a UAS dialog (§12.2.1.1 via §8.1.1.5). */
  random?: Random;
  /**
   * Whether the dialog-creating request travelled over TLS (WSS counts). The secure flag needs
   * both TLS and a SIPS Request-URI (§12.1.1/§12.1.2). Defaults to true: a SIPS request is never
   * sent over a non-TLS hop (§26.2.2), so its URI alone normally settles it.
   */
  tls?: boolean;
}

export interface UasDialogOptions extends DialogOptions {
  /** `early` when the UAS answers with a 101–199 carrying its tag first (the default), else `confirmed`. */
  state?: 'early' | 'confirmed';
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
  { readonly kind: 'accept' } | { readonly kind: 'reject'; readonly status: 400 | 500 };

const ACCEPT: InDialogRequestVerdict = { kind: 'accept' };
const BAD_REQUEST: InDialogRequestVerdict = { kind: 'reject', status: 400 };

/**
 * Dialog state, §12. Build one with {@link Dialog.fromUacResponse} or {@link Dialog.fromUasRequest}.
 *
 * Route set: fixed at creation (§12.2: in-dialog requests and responses "do not cause the dialog's
 * route set to be modified"), except that a UAC's early dialog takes the route set of the 2xx that
 * confirms it (§13.2.2.4).
 */
export class Dialog {
  /** `dialogKey(id)`, for maps. */
  readonly key: string;
  #state: DialogState;
  #localSeq: number | undefined;
  #remoteSeq: number | undefined;
  /** From and To of our requests inside the dialog: local and remote URI with the dialog's tags. */
  readonly #from: NameAddr;
  readonly #to: NameAddr;
  #remoteTarget: Uri;
  #routeSet: RouteSet;
  /** CSeq of the response that last refreshed the remote target, so a late 2xx cannot roll it back. */
  #refreshedBySeq = -1;
  readonly #events = new Emitter<DialogEvents>();
  readonly #random: Random;

  /** Use the factories; `seq` is the CSeq number of the dialog-creating request. */
  private constructor(
    readonly role: DialogRole,
    state: DialogState,
    readonly id: DialogId,
    seq: number,
    local: NameAddr,
    remote: NameAddr,
    remoteTarget: Uri,
    /** The Contact this UA sends inside the dialog. */
    readonly localTarget: NameAddr,
    routeSet: RouteSet,
    /** §12.1.1/§12.1.2: TLS and a SIPS Request-URI in the dialog-creating request. */
    readonly secure: boolean,
    random: Random,
  ) {
    this.key = dialogKey(id);
    this.#random = random;
    this.#state = state;
    // §12.1.2: "The local sequence number MUST be set to the value of the sequence number in the
    // CSeq header field of the request. The remote sequence number MUST be empty". §12.1.1: "The
    // remote sequence number MUST be set to the value of the sequence number in the CSeq header
    // field of the request. The local sequence number MUST be empty."
    if (role === 'uac') this.#localSeq = seq;
    else this.#remoteSeq = seq;
    // §12.2.1.1: "The URI in the To field of the request MUST be set to the remote URI from the
    // dialog state. The tag in the To header field of the request MUST be set to the remote tag of
    // the dialog ID. The From URI of the request MUST be set to the local URI from the dialog
    // state. The tag in the From header field of the request MUST be set to the local tag of the
    // dialog ID. If the value of the remote or local tags is null, the tag parameter MUST be
    // omitted from the To or From header fields, respectively."
    this.#from = withTag(local, id.localTag);
    this.#to = withTag(remote, id.remoteTag);
    this.#remoteTarget = remoteTarget;
    this.#routeSet = routeSet;
  }

  /**
   * The dialog a UAC gets from a response to its dialog-creating request (§12.1.2): early for a
   * 101–199 with a To tag, confirmed for a 2xx.
   *
   * @param request the request as sent (its Contact and Request-URI seed the dialog).
   * @param response a response to `request`, as received; its From, Call-ID and CSeq echo the
   *   request's (§8.2.6.2).
   * @returns `ok(undefined)` when the response creates no dialog (§12.1: "only 2xx and 101-199
   *   responses with a To tag, where the request was INVITE, will establish a dialog" — other
   *   dialog-creating methods, such as SUBSCRIBE, are the caller's call), and a failure when a
   *   header the dialog needs does not parse or the Contact is missing.
   */
  static fromUacResponse(
    request: SipRequest,
    response: SipResponse,
    options: DialogOptions = {},
  ): ParseResult<Dialog | undefined> {
    const status = response.status;
    if (status < 101 || status > 299) return ok(undefined);
    const id = dialogIdFromResponse(response);
    if (!id.ok) return id;
    // A 1xx without a To tag creates no dialog; a tag-less 2xx is an RFC 2543 peer whose remote
    // tag "is considered to have a value of null" (§12.1.2).
    if (status < 200 && id.value.remoteTag === '') return ok(undefined);
    const localTarget = firstContact(request);
    if (!localTarget.ok) return localTarget;
    const routeSet = routeSetFromResponse(response);
    if (!routeSet.ok) return routeSet;
    // "The remote URI MUST be set to the URI in the To field, and the local URI MUST be set to the
    // URI in the From field." "The remote target MUST be set to the URI from the Contact header
    // field of the response."
    const state = status < 200 ? 'early' : 'confirmed';
    return Dialog.#create(
      'uac',
      state,
      id.value,
      response,
      localTarget.value,
      routeSet.value,
      request,
      options,
    );
  }

  /**
   * The dialog a UAS creates when it answers a dialog-creating request with a 101–199 or 2xx that
   * carries `localTag` in its To (§12.1.1).
   *
   * @param localContact the Contact the UAS puts in that response ("the UAS MUST add a Contact header field to the response").
   * @returns a failure when a header of the request does not parse or its Contact is missing; the
   *   caller answers 400.
   * @throws InvalidArgumentError when `localTag` is empty (§12.1.1: the response "always includes a tag").
   */
  static fromUasRequest(
    request: SipRequest,
    localTag: string,
    localContact: NameAddr,
    options: UasDialogOptions = {},
  ): ParseResult<Dialog> {
    if (localTag === '') throw new InvalidArgumentError('empty local tag');
    const id = dialogIdFromRequest(request, localTag);
    if (!id.ok) return id;
    const routeSet = routeSetFromRequest(request);
    if (!routeSet.ok) return routeSet;
    // "The remote URI MUST be set to the URI in the From field, and the local URI MUST be set to
    // the URI in the To field." "The remote target MUST be set to the URI from the Contact header
    // field of the request."
    const state = options.state ?? 'early';
    return Dialog.#create('uas', state, id.value, request, localContact, routeSet.value, request, options);
  }

  /**
   * The part both factories share. `peer` is the message the other UA sent (the response for a
   * UAC, the request for a UAS): its From is our From as a UAC, its To our To as a UAS.
   */
  static #create(
    role: DialogRole,
    state: DialogState,
    id: DialogId,
    peer: SipRequest | SipResponse,
    localTarget: NameAddr,
    routeSet: RouteSet,
    request: SipRequest,
    options: DialogOptions,
  ): ParseResult<Dialog> {
    const from = getFrom(peer);
    if (!from.ok) return from;
    const to = getTo(peer);
    if (!to.ok) return to;
    const cseq = getCSeq(peer);
    if (!cseq.ok) return cseq;
    const remoteTarget = firstContact(peer);
    if (!remoteTarget.ok) return remoteTarget;
    const [local, remote] = role === 'uac' ? [from.value, to.value] : [to.value, from.value];
    // §12.1.1: "If the request arrived over TLS, and the Request-URI contained a SIPS URI, the
    // "secure" flag is set to TRUE." (§12.1.2 says the same of a request sent.)
    const secure = (options.tls ?? true) && request.uri.scheme === 'sips';
    return ok(
      new Dialog(
        role,
        state,
        id,
        cseq.value.seq,
        local,
        remote,
        remoteTarget.value.uri,
        localTarget,
        routeSet,
        secure,
        options.random ?? defaultRandom,
      ),
    );
  }

  get state(): DialogState {
    return this.#state;
  }

  /** Last CSeq number this UA used inside the dialog; undefined until a UAS sends its first request. */
  get localSeq(): number | undefined {
    return this.#localSeq;
  }

  /** Highest CSeq number received inside the dialog; undefined until a UAC receives its first request. */
  get remoteSeq(): number | undefined {
    return this.#remoteSeq;
  }

  /** Where requests inside the dialog are sent: the peer's latest Contact URI. */
  get remoteTarget(): Uri {
    return this.#remoteTarget;
  }

  get routeSet(): RouteSet {
    return this.#routeSet;
  }

  on<K extends keyof DialogEvents>(event: K, listener: (...args: DialogEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * A UAS confirms its early dialog when it sends the 2xx (§12.1.1). A UAC dialog is confirmed by
   * {@link receiveResponse} with that 2xx instead, since the 2xx carries the final route set.
   * @throws InvalidStateError unless this is an early UAS dialog.
   */
  confirm(): void {
    if (this.role !== 'uas') throw new InvalidStateError('a UAC dialog is confirmed by its 2xx');
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
   * @throws InvalidArgumentError when the response belongs to another dialog.
   */
  receiveResponse(response: SipResponse): ParseResult<ResponseEffect> {
    const id = dialogIdFromResponse(response);
    if (!id.ok) return id;
    this.#assertSameDialog(id.value);
    if (this.#state === 'terminated' || response.status < 200 || response.status > 299) return ok('none');
    const cseq = getCSeq(response);
    if (!cseq.ok) return cseq;
    const { seq, method } = cseq.value;
    const early = this.#state === 'early' && this.role === 'uac' && method === 'INVITE';
    if (!early && (!isTargetRefresh(method) || seq < this.#refreshedBySeq)) return ok('none');
    const target = optionalContact(response);
    if (!target.ok) return target;

    if (early) {
      // §13.2.2.4: "If the dialog identifier in the 2xx response matches the dialog identifier of
      // an existing dialog, the dialog MUST be transitioned to the "confirmed" state, and the
      // route set for the dialog MUST be recomputed based on the 2xx response using the procedures
      // of Section 12.2.1.2. Otherwise, a new dialog in the "confirmed" state MUST be constructed"
      const routeSet = routeSetFromResponse(response);
      if (!routeSet.ok) return routeSet;
      this.#routeSet = routeSet.value;
      this.#refreshTarget(target.value, seq);
      this.#transition('confirmed');
      return ok('confirmed');
    }

    // §12.2.1.2: "When a UAC receives a 2xx response to a target refresh request, it MUST replace
    // the dialog's remote target URI with the URI from the Contact header field in that response,
    // if present."
    if (!target.value) return ok('none');
    this.#refreshTarget(target.value, seq);
    return ok('target-refreshed');
  }

  /**
   * Processes a request received inside the dialog (§12.2.2): checks its CSeq against the remote
   * sequence number; if it passes, records that number and, for a target refresh request with a
   * Contact, the new remote target. On a reject nothing changes and the caller sends the verdict's
   * response. ACK and CANCEL reuse the CSeq number of the request they refer to and get no
   * response of their own, so they always pass and change nothing.
   *
   * @throws InvalidStateError on a terminated dialog (the caller answers 481 instead).
   * @throws InvalidArgumentError when the request belongs to another dialog.
   */
  receiveRequest(request: SipRequest): InDialogRequestVerdict {
    if (this.#state === 'terminated') throw new InvalidStateError('dialog terminated');
    const id = dialogIdFromRequest(request);
    if (!id.ok) return BAD_REQUEST;
    this.#assertSameDialog(id.value);
    const cseq = getCSeq(request);
    if (!cseq.ok) return BAD_REQUEST;
    if (request.method === 'ACK' || request.method === 'CANCEL') return ACCEPT;
    const seq = cseq.value.seq;
    // "If the remote sequence number was not empty, but the sequence number of the request is
    // lower than the remote sequence number, the request is out of order and MUST be rejected
    // with a 500 (Server Internal Error) response."
    if (seq < (this.#remoteSeq ?? 0)) return { kind: 'reject', status: 500 };
    const target = isTargetRefresh(request.method) ? optionalContact(request) : ok(undefined);
    if (!target.ok) return BAD_REQUEST;
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
   * Contact for target refresh requests and REFER. Via is the transaction layer's job.
   *
   * @throws InvalidStateError when the dialog is terminated.
   * @throws InvalidArgumentError for ACK (use {@link createAck}) and CANCEL (built from the INVITE
   *   it cancels, §9.1, not from the dialog).
   */
  createRequest(method: string, options: InDialogRequestOptions = {}): SipRequest {
    if (this.#state === 'terminated') throw new InvalidStateError(`${method} on a terminated dialog`);
    if (method === 'ACK' || method === 'CANCEL')
      throw new InvalidArgumentError(`${method} via createRequest`);
    const seq = this.#nextLocalSeq();
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
   *
   * @throws InvalidStateError unless the dialog is confirmed (a 2xx confirms it before the ACK).
   * @throws InvalidArgumentError when `inviteCSeq` is not a CSeq number this UA used.
   */
  createAck(inviteCSeq: number, options: InDialogRequestOptions = {}): SipRequest {
    if (this.#state !== 'confirmed') throw new InvalidStateError(`ACK on a ${this.#state} dialog`);
    if (!Number.isInteger(inviteCSeq) || inviteCSeq < 0 || inviteCSeq > (this.#localSeq ?? -1)) {
      throw new InvalidArgumentError(`ACK for unused CSeq ${inviteCSeq}`);
    }
    return this.#build('ACK', inviteCSeq, options);
  }

  /**
   * Moves to `to`, asserting the edges of the class diagram.
   * @throws InvalidStateError on an illegal edge.
   */
  #transition(to: DialogState): void {
    const from = this.#state;
    if (ORDER.indexOf(to) <= ORDER.indexOf(from)) throw new InvalidStateError(`dialog ${from} → ${to}`);
    this.#state = to;
    this.#events.emit('state', to, from);
    if (to === 'terminated') this.#events.removeAllListeners();
  }

  #refreshTarget(contact: NameAddr | undefined, seq: number): void {
    if (contact) this.#remoteTarget = contact.uri;
    this.#refreshedBySeq = seq;
  }

  #nextLocalSeq(): number {
    // §12.2.1.1: "If the local sequence number is empty, an initial value MUST be chosen using the
    // guidelines of Section 8.1.1.5." That is, below 2**31.
    if (this.#localSeq === undefined) return Number.parseInt(this.#random.hex(4), 16) & 0x7fffffff;
    // "The local sequence number MUST be incremented by one"
    const next = this.#localSeq + 1;
    if (next > MAX_CSEQ) throw new InvalidStateError('CSeq space exhausted');
    return next;
  }

  #build(method: string, seq: number, options: InDialogRequestOptions): SipRequest {
    const target = inDialogTarget(this.#routeSet, this.#remoteTarget);
    // §8.1.1.8: "The Contact header field MUST be present and contain exactly one SIP or SIPS URI
    // in any request that can result in the establishment of a dialog": target refresh requests
    // (so that the peer learns our current target) and REFER (RFC 3515).
    const contact: Array<readonly [string, string]> =
      isTargetRefresh(method) || method === 'REFER' ? [['Contact', formatNameAddr(this.localTarget)]] : [];
    return buildRequest(method, target.requestUri, {
      routes: target.routes,
      to: this.#to,
      from: this.#from,
      // "The Call-ID of the request MUST be set to the Call-ID of the dialog."
      callId: this.id.callId,
      seq,
      headers: [...contact, ...(options.headers ?? [])],
      body: options.body ?? '',
    });
  }

  #assertSameDialog(id: DialogId): void {
    if (dialogKey(id) !== this.key) throw new InvalidArgumentError(`not dialog ${this.key}`);
  }
}

/** The first Contact of a message, required: a dialog needs a remote (or local) target. */
function firstContact(message: SipRequest | SipResponse): ParseResult<NameAddr> {
  const contact = optionalContact(message);
  if (!contact.ok) return contact;
  return contact.value ? ok(contact.value) : fail('missing-header', 'no Contact', 0, 0, 'Contact');
}

/** The first Contact of a message, if there is one; `*` is only legal in REGISTER and is refused. */
function optionalContact(message: SipRequest | SipResponse): ParseResult<NameAddr | undefined> {
  const contact = getContact(message);
  if (!contact.ok) return contact;
  const value = contact.value;
  if (value?.star) return fail('bad-header-value', 'Contact *', 0, 0, 'Contact');
  return ok(value?.contacts[0]);
}

/** From/To with the dialog's tag as its only parameter (none when the tag is null, §12.2.1.1). */
function withTag({ displayName, uri }: NameAddr, tag: string): NameAddr {
  return { ...(displayName === undefined ? {} : { displayName }), uri, params: tag ? { tag } : {} };
}
