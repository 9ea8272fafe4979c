/**
 * Opt-in extensions of the INVITE session. The core session is RFC 3261 §13–§15 alone (INVITE,
 * re-INVITE, CANCEL, BYE, forking, late offer, glare); RFC 3262 (`reliableProvisionals()`),
 * RFC 3311 (`updateMethod()`), RFC 4028 (`sessionTimers()`) and RFC 6086 (`infoMethod()`) each live
 * in their own module, which only an application that installs them imports
 * (`UserAgentOptions.sessionExtensions`).
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
import type { InviteSession, InviteSessionEvents } from './invite-session';
import type { EndCause } from './session-end';

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
}

/** What an extension may do with its session. */
export interface SessionContext {
  readonly session: InviteSession;
  readonly events: Emitter<InviteSessionEvents>;
  /** Sends a request built on a dialog of the session, e.g. PRACK. */
  send(request: SipRequest): void;
  /** Starts or restarts the named timer; every timer stops when the session ends. */
  timer(name: string, ms: number, callback: () => void): void;
  /** Queues a session refresh (RFC 4028 §7.4): by UPDATE when `update` and installed, else re-INVITE. */
  refresh(update: boolean): void;
  /** Ends the established call with BYE. */
  bye(cause: EndCause): void;
  /** Answers the offer (or refresh) in an in-dialog request other than INVITE (RFC 3311 §5.2). */
  answer(request: SipRequest, respond: Respond): void;
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
