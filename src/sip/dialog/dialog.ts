/**
 * The dialog, RFC 3261 §12: the peer-to-peer relationship between two UAs that persists for some
 * time, holding what is needed to build requests inside it (§12.2.1.1) and to check the requests
 * received inside it (§12.2.2).
 *
 * States (one {@link Dialog.transition} asserts these edges):
 * ```
 *   early ──(2xx)──▶ confirmed ──▶ terminated
 *     └───────────(non-2xx final, BYE, …)───▶ terminated
 * ```
 * A dialog is created early by a 101–199 response with a To tag and confirmed by a 2xx (§12.1); a
 * 2xx can also create it confirmed directly. The usage (INVITE session, subscription) decides when
 * to terminate it; the dialog itself never does.
 */

import { formatCSeq, formatNameAddr, getContact, getCSeq, getFrom, getTo } from '../message/headers';
import { createRequest, type SipRequest, type SipResponse } from '../message/sip-message';
import type { NameAddr, Uri } from '../message/types';
import { fail, ok, type ParseResult } from '../parser/parse-result';
import { Emitter } from '../support/emitter';
import { InvalidArgumentError, InvalidStateError } from '../support/errors';
import { defaultRandom, type Random } from '../support/random';
import {
  dialogIdEquals,
  dialogIdFromRequest,
  dialogIdFromResponse,
  dialogKey,
  type DialogId,
} from './dialog-id';
import { inDialogTarget, routeSetFromRequest, routeSetFromResponse, type RouteSet } from './route-set';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** Which side of the dialog-creating request this UA was on. */
export type DialogRole = 'uac' | 'uas';

const LEGAL_TRANSITIONS: Readonly<Record<DialogState, readonly DialogState[]>> = {
  early: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  terminated: [],
};

export type DialogEvents = {
  /** Every state change, after it happened. */
  state: [state: DialogState, previous: DialogState];
};

/**
 * Methods whose requests and 2xx responses replace the remote target (§12.2). RFC 3261 defines
 * only re-INVITE; RFC 3311 adds UPDATE, and RFC 6665 makes SUBSCRIBE and NOTIFY target refresh
 * requests of subscription dialogs.
 */
export const TARGET_REFRESH_METHODS: ReadonlySet<string> = new Set([
  'INVITE',
  'UPDATE',
  'SUBSCRIBE',
  'NOTIFY',
]);

/**
 * Methods that carry our Contact (the local target): target refresh requests, so that the peer
 * learns our current target, and REFER, which can create a dialog (RFC 3515) — §8.1.1.8 "The
 * Contact header field MUST be present and contain exactly one SIP or SIPS URI in any request that
 * can result in the establishment of a dialog."
 */
const METHODS_WITH_CONTACT: ReadonlySet<string> = new Set([...TARGET_REFRESH_METHODS, 'REFER']);

/** §8.1.1.6: "A UAC MUST insert a Max-Forwards header field into each request it originates with a value that SHOULD be 70." */
const MAX_FORWARDS = '70';

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
 * response the caller must send; it is a value, not an exception, because the request came off
 * the wire.
 */
export type InDialogRequestVerdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'reject'; readonly status: 400 | 500; readonly reason: string; readonly detail: string };

interface DialogInit {
  role: DialogRole;
  state: 'early' | 'confirmed';
  id: DialogId;
  localSeq: number | undefined;
  remoteSeq: number | undefined;
  local: NameAddr;
  remote: NameAddr;
  remoteTarget: Uri;
  localTarget: NameAddr;
  routeSet: RouteSet;
  secure: boolean;
  random: Random;
}

/**
 * Dialog state, §12. Build one with {@link Dialog.fromUacResponse} or {@link Dialog.fromUasRequest}.
 *
 * Route set: fixed at creation (§12.2: in-dialog requests and responses "do not cause the dialog's
 * route set to be modified"), except that a UAC's early dialog takes the route set of the 2xx that
 * confirms it (§13.2.2.4).
 */
export class Dialog {
  readonly role: DialogRole;
  readonly id: DialogId;
  /** `dialogKey(id)`, for maps. */
  readonly key: string;
  /** §12.1.1/§12.1.2: TLS and a SIPS Request-URI in the dialog-creating request. */
  readonly secure: boolean;

  #state: DialogState;
  #localSeq: number | undefined;
  #remoteSeq: number | undefined;
  readonly #local: NameAddr;
  readonly #remote: NameAddr;
  #remoteTarget: Uri;
  #localTarget: NameAddr;
  #routeSet: RouteSet;
  /** CSeq of the response that last refreshed the remote target, so a late 2xx cannot roll it back. */
  #refreshedBySeq = -1;
  readonly #random: Random;
  readonly #events = new Emitter<DialogEvents>();

  private constructor(init: DialogInit) {
    this.role = init.role;
    this.#state = init.state;
    this.id = init.id;
    this.key = dialogKey(init.id);
    this.#localSeq = init.localSeq;
    this.#remoteSeq = init.remoteSeq;
    this.#local = init.local;
    this.#remote = init.remote;
    this.#remoteTarget = init.remoteTarget;
    this.#localTarget = init.localTarget;
    this.#routeSet = init.routeSet;
    this.secure = init.secure;
    this.#random = init.random;
  }

  /**
   * The dialog a UAC gets from a response to its dialog-creating request (§12.1.2): early for a
   * 101–199 with a To tag, confirmed for a 2xx.
   *
   * @param request the request as sent (its From, Contact, CSeq and Request-URI seed the dialog).
   * @param response a response to `request`, as received.
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
    if (response.status < 101 || response.status > 299) return ok(undefined);
    const id = dialogIdFromResponse(response);
    if (!id.ok) return id;
    // A 1xx without a To tag creates no dialog; a tag-less 2xx is an RFC 2543 peer whose remote
    // tag "is considered to have a value of null" (§12.1.2).
    if (response.status < 200 && id.value.remoteTag === '') return ok(undefined);

    const from = getFrom(request);
    if (!from.ok) return from;
    const to = getTo(response);
    if (!to.ok) return to;
    const cseq = getCSeq(request);
    if (!cseq.ok) return cseq;
    const localTarget = firstContact(request);
    if (!localTarget.ok) return localTarget;
    // "The remote target MUST be set to the URI from the Contact header field of the response."
    const remoteTarget = firstContact(response);
    if (!remoteTarget.ok) return remoteTarget;
    const routeSet = routeSetFromResponse(response);
    if (!routeSet.ok) return routeSet;

    return ok(
      new Dialog({
        role: 'uac',
        state: response.status >= 200 ? 'confirmed' : 'early',
        id: id.value,
        // "The local sequence number MUST be set to the value of the sequence number in the CSeq
        // header field of the request. The remote sequence number MUST be empty"
        localSeq: cseq.value.seq,
        remoteSeq: undefined,
        // "The remote URI MUST be set to the URI in the To field, and the local URI MUST be set to
        // the URI in the From field."
        local: withoutParams(from.value),
        remote: withoutParams(to.value),
        remoteTarget: remoteTarget.value.uri,
        localTarget: localTarget.value,
        routeSet: routeSet.value,
        secure: isSecure(request, options),
        random: options.random ?? defaultRandom,
      }),
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
    if (localTag === '') throw new InvalidArgumentError('a UAS dialog needs a non-empty local tag (§12.1.1)');
    const id = dialogIdFromRequest(request, localTag);
    if (!id.ok) return id;
    const from = getFrom(request);
    if (!from.ok) return from;
    const to = getTo(request);
    if (!to.ok) return to;
    const cseq = getCSeq(request);
    if (!cseq.ok) return cseq;
    // "The remote target MUST be set to the URI from the Contact header field of the request."
    const remoteTarget = firstContact(request);
    if (!remoteTarget.ok) return remoteTarget;
    const routeSet = routeSetFromRequest(request);
    if (!routeSet.ok) return routeSet;

    return ok(
      new Dialog({
        role: 'uas',
        state: options.state ?? 'early',
        id: id.value,
        // "The remote sequence number MUST be set to the value of the sequence number in the CSeq
        // header field of the request. The local sequence number MUST be empty."
        localSeq: undefined,
        remoteSeq: cseq.value.seq,
        // "The remote URI MUST be set to the URI in the From field, and the local URI MUST be set
        // to the URI in the To field."
        local: withoutParams(to.value),
        remote: withoutParams(from.value),
        remoteTarget: remoteTarget.value.uri,
        localTarget: cloneNameAddr(localContact),
        routeSet: routeSet.value,
        secure: isSecure(request, options),
        random: options.random ?? defaultRandom,
      }),
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

  /** Local URI (our From inside the dialog), with its display name. */
  get localUri(): Uri {
    return this.#local.uri;
  }

  /** Remote URI (our To inside the dialog). */
  get remoteUri(): Uri {
    return this.#remote.uri;
  }

  /** Where requests inside the dialog are sent: the peer's latest Contact URI. */
  get remoteTarget(): Uri {
    return this.#remoteTarget;
  }

  /** The Contact this UA sends inside the dialog. */
  get localTarget(): NameAddr {
    return this.#localTarget;
  }

  get routeSet(): RouteSet {
    return this.#routeSet;
  }

  on<K extends keyof DialogEvents>(event: K, listener: (...args: DialogEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Changes the Contact sent in later target refresh requests (e.g. after the WebSocket reconnected
   * with a new `.invalid` host, RFC 7118 §5.2); the peer learns it from the next such request.
   */
  setLocalTarget(contact: NameAddr): void {
    this.#localTarget = cloneNameAddr(contact);
  }

  /**
   * A UAS confirms its early dialog when it sends the 2xx (§12.1.1). A UAC dialog is confirmed by
   * {@link receiveResponse} with that 2xx instead, since the 2xx carries the final route set.
   * @throws InvalidStateError unless this is an early UAS dialog.
   */
  confirm(): void {
    if (this.role !== 'uas') {
      throw new InvalidStateError('a UAC dialog is confirmed by receiveResponse() with the 2xx');
    }
    this.transition('confirmed');
  }

  /** Ends the dialog; idempotent, since BYE, 481 and a failed INVITE may all end it. */
  terminate(): void {
    if (this.#state !== 'terminated') this.transition('terminated');
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
   * @throws InvalidArgumentError when the response belongs to another dialog: look it up in a
   *   `DialogTable` first.
   */
  receiveResponse(response: SipResponse): ParseResult<ResponseEffect> {
    const id = dialogIdFromResponse(response);
    if (!id.ok) return id;
    this.assertSameDialog(id.value);
    if (this.#state === 'terminated' || response.status < 200 || response.status > 299) return ok('none');
    const cseq = getCSeq(response);
    if (!cseq.ok) return cseq;
    const method = cseq.value.method;

    if (this.#state === 'early' && this.role === 'uac' && method === 'INVITE') {
      // §13.2.2.4: "If the dialog identifier in the 2xx response matches the dialog identifier of
      // an existing dialog, the dialog MUST be transitioned to the "confirmed" state, and the
      // route set for the dialog MUST be recomputed based on the 2xx response using the procedures
      // of Section 12.2.1.2. Otherwise, a new dialog in the "confirmed" state MUST be constructed"
      const routeSet = routeSetFromResponse(response);
      if (!routeSet.ok) return routeSet;
      const target = optionalContact(response);
      if (!target.ok) return target;
      this.#routeSet = routeSet.value;
      if (target.value) this.#remoteTarget = target.value.uri;
      this.#refreshedBySeq = cseq.value.seq;
      this.transition('confirmed');
      return ok('confirmed');
    }

    // §12.2.1.2: "When a UAC receives a 2xx response to a target refresh request, it MUST replace
    // the dialog's remote target URI with the URI from the Contact header field in that response,
    // if present."
    if (TARGET_REFRESH_METHODS.has(method) && cseq.value.seq >= this.#refreshedBySeq) {
      const target = optionalContact(response);
      if (!target.ok) return target;
      if (!target.value) return ok('none');
      this.#remoteTarget = target.value.uri;
      this.#refreshedBySeq = cseq.value.seq;
      return ok('target-refreshed');
    }
    return ok('none');
  }

  /**
   * The §12.2.2 sequence check of a request received inside the dialog, without changing the
   * dialog. ACK and CANCEL reuse the CSeq number of the request they refer to and get no
   * response of their own, so they always pass.
   */
  checkRemoteCSeq(request: SipRequest): InDialogRequestVerdict {
    const cseq = getCSeq(request);
    if (!cseq.ok) return { kind: 'reject', status: 400, reason: 'Bad Request', detail: cseq.error.message };
    if (request.method === 'ACK' || request.method === 'CANCEL') return { kind: 'accept' };
    // "If the remote sequence number was not empty, but the sequence number of the request is
    // lower than the remote sequence number, the request is out of order and MUST be rejected
    // with a 500 (Server Internal Error) response."
    if (this.#remoteSeq !== undefined && cseq.value.seq < this.#remoteSeq) {
      return {
        kind: 'reject',
        status: 500,
        reason: 'Server Internal Error',
        detail: `CSeq ${cseq.value.seq} is lower than the remote sequence number ${this.#remoteSeq}`,
      };
    }
    return { kind: 'accept' };
  }

  /**
   * Processes a request received inside the dialog (§12.2.2): runs {@link checkRemoteCSeq}; if it
   * passes, records the remote sequence number and, for a target refresh request with a Contact,
   * the new remote target. On a reject nothing changes and the caller sends the verdict's response.
   *
   * @throws InvalidStateError on a terminated dialog (the caller answers 481 instead).
   * @throws InvalidArgumentError when the request belongs to another dialog.
   */
  receiveRequest(request: SipRequest): InDialogRequestVerdict {
    if (this.#state === 'terminated') throw new InvalidStateError('the dialog is terminated');
    const id = dialogIdFromRequest(request);
    if (!id.ok) return { kind: 'reject', status: 400, reason: 'Bad Request', detail: id.error.message };
    this.assertSameDialog(id.value);
    const verdict = this.checkRemoteCSeq(request);
    if (verdict.kind === 'reject') return verdict;
    if (request.method === 'ACK' || request.method === 'CANCEL') return verdict;

    const target = TARGET_REFRESH_METHODS.has(request.method) ? optionalContact(request) : ok(undefined);
    if (!target.ok)
      return { kind: 'reject', status: 400, reason: 'Bad Request', detail: target.error.message };
    const cseq = getCSeq(request);
    if (!cseq.ok) return { kind: 'reject', status: 400, reason: 'Bad Request', detail: cseq.error.message };

    // "If the remote sequence number is empty, it MUST be set to the value of the sequence number
    // in the CSeq header field value in the request." ... "The UAS MUST then set the remote
    // sequence number to the value of the sequence number in the CSeq header field value in the
    // request." A jump of more than one is "not an error condition".
    this.#remoteSeq = cseq.value.seq;
    // §12.2.2: "When a UAS receives a target refresh request, it MUST replace the dialog's remote
    // target URI with the URI from the Contact header field in that request, if present."
    if (target.value) this.#remoteTarget = target.value.uri;
    return verdict;
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
    if (this.#state === 'terminated') {
      throw new InvalidStateError(`cannot send ${method} on a terminated dialog`);
    }
    if (method === 'ACK') throw new InvalidArgumentError('build the ACK of a 2xx with createAck(inviteCSeq)');
    if (method === 'CANCEL')
      throw new InvalidArgumentError('CANCEL is built from the INVITE it cancels (§9.1)');
    const seq = this.nextLocalSeq();
    const request = this.buildRequest(method, seq, options);
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
    if (this.#state !== 'confirmed') throw new InvalidStateError(`cannot ACK on a ${this.#state} dialog`);
    if (!Number.isInteger(inviteCSeq) || inviteCSeq < 0 || inviteCSeq > (this.#localSeq ?? -1)) {
      throw new InvalidArgumentError(
        `ACK CSeq ${inviteCSeq} is not the CSeq of an INVITE sent in this dialog`,
      );
    }
    return this.buildRequest('ACK', inviteCSeq, options);
  }

  /**
   * Moves to `to`, asserting the edges of the class diagram.
   * @throws InvalidStateError on an illegal edge.
   */
  private transition(to: DialogState): void {
    const from = this.#state;
    if (!LEGAL_TRANSITIONS[from].includes(to)) {
      throw new InvalidStateError(`illegal dialog transition ${from} → ${to}`);
    }
    this.#state = to;
    this.#events.emit('state', to, from);
    if (to === 'terminated') this.#events.removeAllListeners();
  }

  private nextLocalSeq(): number {
    // §12.2.1.1: "If the local sequence number is empty, an initial value MUST be chosen using the
    // guidelines of Section 8.1.1.5." That is, below 2**31.
    if (this.#localSeq === undefined) return Number.parseInt(this.#random.hex(4), 16) & 0x7fffffff;
    // "The local sequence number MUST be incremented by one"
    const next = this.#localSeq + 1;
    if (next > MAX_CSEQ) throw new InvalidStateError('the local CSeq space of this dialog is exhausted');
    return next;
  }

  private buildRequest(method: string, seq: number, options: InDialogRequestOptions): SipRequest {
    const target = inDialogTarget(this.#routeSet, this.#remoteTarget);
    const fields: Array<readonly [string, string]> = [['Max-Forwards', MAX_FORWARDS]];
    for (const route of target.routes) fields.push(['Route', formatNameAddr(route)]);
    // "The URI in the To field of the request MUST be set to the remote URI from the dialog state.
    // The tag in the To header field of the request MUST be set to the remote tag of the dialog
    // ID. The From URI of the request MUST be set to the local URI from the dialog state. The tag
    // in the From header field of the request MUST be set to the local tag of the dialog ID. If
    // the value of the remote or local tags is null, the tag parameter MUST be omitted from the To
    // or From header fields, respectively."
    fields.push(['From', formatNameAddr(withTag(this.#local, this.id.localTag))]);
    fields.push(['To', formatNameAddr(withTag(this.#remote, this.id.remoteTag))]);
    // "The Call-ID of the request MUST be set to the Call-ID of the dialog."
    fields.push(['Call-ID', this.id.callId]);
    fields.push(['CSeq', formatCSeq({ seq, method })]);
    if (METHODS_WITH_CONTACT.has(method)) fields.push(['Contact', formatNameAddr(this.#localTarget)]);
    if (options.headers) fields.push(...options.headers);
    return createRequest(method, target.requestUri, fields, options.body ?? '');
  }

  private assertSameDialog(id: DialogId): void {
    if (!dialogIdEquals(id, this.id)) {
      throw new InvalidArgumentError(`message of dialog ${dialogKey(id)} passed to dialog ${this.key}`);
    }
  }
}

function isSecure(request: SipRequest, options: DialogOptions): boolean {
  // §12.1.1: "If the request arrived over TLS, and the Request-URI contained a SIPS URI, the
  // "secure" flag is set to TRUE." (§12.1.2 says the same of a request sent.)
  return (options.tls ?? true) && request.uri.scheme === 'sips';
}

/** The first Contact of a message, required: a dialog needs a remote (or local) target. */
function firstContact(message: SipRequest | SipResponse): ParseResult<NameAddr> {
  const contact = optionalContact(message);
  if (!contact.ok) return contact;
  if (!contact.value)
    return fail('missing-header', 'a dialog-creating message needs a Contact', 0, 0, 'Contact');
  return ok(contact.value);
}

/** The first Contact of a message, if there is one; `*` is only legal in REGISTER and is refused. */
function optionalContact(message: SipRequest | SipResponse): ParseResult<NameAddr | undefined> {
  const contact = getContact(message);
  if (!contact.ok) return contact;
  const value = contact.value;
  if (value === undefined) return ok(undefined);
  if (value.star) return fail('bad-header-value', 'Contact "*" outside REGISTER', 0, 0, 'Contact');
  return ok(value.contacts[0]);
}

/** From/To minus its parameters: the dialog keeps the URI (and display name) and adds its own tags. */
function withoutParams(address: NameAddr): NameAddr {
  const copy: NameAddr = { uri: address.uri, params: {} };
  if (address.displayName !== undefined) copy.displayName = address.displayName;
  return copy;
}

function withTag(address: NameAddr, tag: string): NameAddr {
  return tag === '' ? address : { ...address, params: { tag } };
}

function cloneNameAddr(address: NameAddr): NameAddr {
  return { ...address, params: { ...address.params } };
}
