/**
 * Opt-in extensions of the INVITE session. The core session is RFC 3261 §13–§15 for a basic phone
 * (INVITE, CANCEL, BYE, forking, late offer, answering the peer's re-INVITE); our own re-INVITEs
 * (`renegotiation()`: hold, resume, re-offers, §14.1 glare), RFC 3262 (`reliableProvisionals()`),
 * RFC 3311 (`updateMethod()`), RFC 4028 (`sessionTimers()`, which pulls in `renegotiation()` for
 * its refreshes) and RFC 6086 (`infoMethod()`) each live in their own module, which only an
 * application that installs them imports (`UserAgentOptions.sessionExtensions`).
 *
 * An extension contributes a method to Allow and/or an option tag to Supported, may refuse a request
 * that would start or change the session ({@link SessionExtension.check}), and hooks into each
 * session through the narrow points of {@link SessionHooks}, acting on it only through its
 * {@link SessionContext}.
 */
import type { Dialog } from '../dialog/dialog';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { Emitter } from '../support/emitter';
import type { UaCapabilities } from '../ua/request-inspection';
import type {
  ChangeOutcome,
  InviteSession,
  InviteSessionEvents,
  PendingChange,
  RequestResult,
} from './invite-session';
import type { OfferAnswer } from './offer-answer';
import type { SessionDescriptionHandler } from './session-description-handler';
import type { EndCause, EndOriginator, SessionEnd } from './session-end';

export type HeaderFields = ReadonlyArray<readonly [string, string]>;

/** Answers the request being handled; a body is always SDP. Returns the response sent. */
export type Respond = (status: number, headers?: HeaderFields, body?: string) => SipResponse;

export interface SessionExtension {
  /** The method it adds to Allow (RFC 3261 §20.5); in-dialog requests of it reach `receive`. */
  readonly method?: string;
  /** The option tag it adds to the Supported header of our INVITEs and 2xx (§20.37). */
  readonly tag?: string;
  /**
   * Whether a request may `Require` the tag (§8.2.2.3). False for an extension we only implement as
   * its UAC: a request requiring it still gets 420.
   */
  readonly requirable?: boolean;
  /**
   * Checks an INVITE (initial or re-INVITE) or UPDATE before the session acts on it: the status and
   * header fields to refuse it with (RFC 4028's 422), or undefined.
   */
  check?(request: SipRequest): readonly [status: number, headers: HeaderFields] | undefined;
  /** Hooks into one session, when it is created. */
  attach?(session: SessionContext): SessionHooks;
}

/** Where an extension hooks into one session. Every hook is optional. */
export interface SessionHooks {
  /**
   * Header fields to add to the initial INVITE (`invite`), to a re-INVITE or UPDATE of ours
   * (`change`), or to our 2xx to the peer's INVITE, re-INVITE or UPDATE `request` (`answer`).
   */
  headers?(kind: 'invite' | 'change' | 'answer', request?: SipRequest): HeaderFields;
  /** A 101–199 on an early dialog; false: the response is not processed further. */
  provisional?(response: SipResponse, dialog: Dialog): boolean;
  /** A 3xx–6xx to our INVITE: the header fields of a retry, or undefined to let the call fail. */
  retry?(response: SipResponse): HeaderFields | undefined;
  /**
   * An offer/answer exchange (or refresh) committed: by the 2xx `response` to our INVITE, re-INVITE
   * or UPDATE, or (undefined) by our 2xx to the peer's request once ACKed if it was an INVITE.
   */
  committed?(response: SipResponse | undefined): void;
  /** An in-dialog request of the extension's `method`; it must be answered through `respond`. */
  receive?(request: SipRequest, respond: Respond): void;
  /**
   * Runs `hold()`, `unhold()` and `renegotiate()` (the first extension with this hook wins):
   * `offer` says whether the request carries one, `hold` the hold state it asks for.
   */
  change?(change: PendingChange, offer: boolean, hold: boolean): Promise<ChangeOutcome>;
  /** True while a change of ours is on the wire: a crossing re-INVITE or UPDATE gets 491 (§14.2). */
  busy?(): boolean;
  /** Runs `info()`: sends INFO, resolving with the final status (0 on timeout or transport error). */
  info?(contentType: string, body: string): Promise<number>;
}

/** What an extension may do with its session. */
export interface SessionContext {
  readonly session: InviteSession;
  readonly events: Emitter<InviteSessionEvents>;
  /** Sends a request built on a dialog of the session, e.g. PRACK; resolves with its outcome. */
  send(request: SipRequest): Promise<RequestResult>;
  /** The credentials answering the 401/407 `response` to `request` (§22.2), if we have them. */
  credentials(request: SipRequest, response: SipResponse): HeaderFields | undefined;
  /** Starts or restarts the named timer; every timer stops when the session ends. */
  timer(name: string, ms: number, callback: () => void): void;
  /** Ends the established call with BYE. */
  bye(cause: EndCause): void;
  /** Ends the session without a request (e.g. after a 481, §12.2.1.2). */
  end(originator: EndOriginator, cause: EndCause, detail: Omit<SessionEnd, 'originator' | 'cause'>): void;
  /** Whether `method` is allowed: the core's, or an installed extension's. */
  allows(method: string): boolean;
  /** A uniformly chosen integer in [0, n). */
  random(n: number): number;
  /** The session's media port and offer/answer state, for an exchange of ours. */
  readonly handler: SessionDescriptionHandler;
  readonly oa: OfferAnswer;
  /** Allow, Supported and the extensions' `change` header fields: for a re-INVITE or UPDATE of ours. */
  changeFields(): HeaderFields;
  /** ACKs the 2xx to our re-INVITE, with the answer when its 2xx offered. */
  ack(response: SipResponse, body: string | undefined): void;
  /** Runs the {@link SessionHooks.committed} hooks for the 2xx `response`. */
  commit(response: SipResponse): void;
  /** Drops our pending offer (and the handler's), §14.1: "as if no re-INVITE had been issued". */
  abandon(): void;
  /** Runs media work whose failure is only logged (the exchange already committed on the wire). */
  apply(work: () => Promise<void>): Promise<void>;
  /** Sets {@link InviteSession.pending}, emitting `pending`. */
  pending(change: PendingChange | undefined): void;
  /** Sets {@link InviteSession.held} (the extension emits `hold`). */
  held(held: boolean): void;
  /** Answers the offer (or refresh) in an in-dialog request other than INVITE (RFC 3311 §5.2). */
  answer(request: SipRequest, respond: Respond): void;
}

/**
 * Sends a request on the session's dialog, answering a digest challenge once (§22.2): the
 * re-INVITEs, UPDATEs and INFOs of the extensions (the core itself only sends BYE in a dialog).
 */
export async function requestInDialog(
  context: SessionContext,
  method: string,
  headers: HeaderFields,
  body: string | undefined,
): Promise<RequestResult> {
  const dialog = context.session.dialog!;
  const build = (extra: HeaderFields = []) =>
    dialog.createRequest(method, { headers: [...headers, ...extra], body });
  const request = build();
  const result = await context.send(request);
  const status = result.kind === 'final' ? result.response.status : 0;
  const credentials =
    result.kind === 'final' &&
    (status === 401 || status === 407) &&
    context.credentials(request, result.response);
  return credentials && dialog.state !== 'terminated' ? context.send(build(credentials)) : result;
}

/** The UA core's capabilities with `extensions` installed: Allow and the tags a request may require. */
export function withExtensions(
  caps: UaCapabilities,
  extensions: readonly SessionExtension[],
): UaCapabilities {
  return {
    ...caps,
    allowed: [...caps.allowed, ...extensions.flatMap((e) => e.method ?? [])],
    supported: [...caps.supported, ...extensions.flatMap((e) => (e.requirable && e.tag) || [])],
  };
}

/** The first refusal an extension has for `request`, answered through `respond`; true if refused. */
export function refused(
  extensions: readonly SessionExtension[],
  request: SipRequest,
  respond: (status: number, headers: HeaderFields) => void,
): boolean {
  for (const e of extensions) {
    const refusal = e.check?.(request);
    if (refusal) {
      respond(...refusal);
      return true;
    }
  }
  return false;
}
