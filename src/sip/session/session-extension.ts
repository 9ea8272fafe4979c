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
 * {@link SessionContext} and the helpers below (which the core session shares). What an extension
 * offers the application (`hold(session)`, `sendInfo(session, …)`) is a function of its own module,
 * so that the session class carries nothing an application without it would ship.
 */
import { formatCredentials } from '../auth/challenge';
import type { Dialog } from '../dialog/dialog';
import { getAuthValues } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { formatUri } from '../message/uri';
import type { TimerHandle } from '../support/clock';
import type { Emitter } from '../support/emitter';
import type { UaCapabilities } from '../ua/request-inspection';
import type {
  InviteSession,
  InviteSessionEvents,
  RequestResult,
  SessionHost,
  SessionSettings,
} from './invite-session';
import type { OfferAnswer } from './offer-answer';
import type { SessionDescriptionHandler } from './session-description-handler';
import type { EndCause, SessionEnd } from './session-end';

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
  /**
   * A 3xx–6xx `response` to our INVITE `request` (as sent): the INVITE to send instead (a new
   * transaction: no Via, CSeq + 1), or undefined to let the call fail.
   */
  retry?(request: SipRequest, response: SipResponse): SipRequest | undefined;
  /**
   * An offer/answer exchange (or refresh) committed: by the 2xx `response` to our INVITE, re-INVITE
   * or UPDATE, or (undefined) by our 2xx to the peer's request once ACKed if it was an INVITE.
   */
  committed?(response: SipResponse | undefined): void;
  /** An in-dialog request of the extension's `method`; it must be answered through `respond`. */
  receive?(request: SipRequest, respond: Respond): void;
  /** True while a change of ours is on the wire: a crossing re-INVITE or UPDATE gets 491 (§14.2). */
  busy?(): boolean;
}

/**
 * What an extension may do with its session: its state (read-only, except through the few
 * operations below) and the user agent's services (`host`: transaction layer, clock, random,
 * credentials, settings). The helpers of this module act on it.
 */
export interface SessionContext {
  readonly session: InviteSession;
  readonly events: Emitter<InviteSessionEvents>;
  readonly host: SessionHost;
  /** The session's media port and offer/answer state, for an exchange of ours. */
  readonly handler: SessionDescriptionHandler;
  readonly oa: OfferAnswer;
  /** The hooks of every extension of the session, once all are attached. */
  readonly hooks: readonly SessionHooks[];
  /**
   * Ends the call: with BYE on its dialog (originator `system`), or, given `detail`, without a
   * request (originator `remote`: after a 481, §12.2.1.2).
   */
  end(cause: EndCause, detail?: Omit<SessionEnd, 'originator' | 'cause'>): void;
  /** Answers the offer (or refresh) in an in-dialog request other than INVITE (RFC 3311 §5.2). */
  answer(request: SipRequest, respond: Respond): void;
  /** ACKs the 2xx to our re-INVITE, with the answer when its 2xx offered. */
  ack(response: SipResponse, body: string | undefined): void;
  /** Sets {@link InviteSession.held} (the extension emits `hold`). */
  held(held: boolean): void;
}

/**
 * Sends a request built on a dialog of the session (PRACK, re-INVITE, UPDATE, INFO) in its own
 * client transaction; resolves with its outcome. Later 2xx (retransmissions) are re-ACKed.
 */
export function transact(context: SessionContext, request: SipRequest): Promise<RequestResult> {
  return new Promise((resolve) => {
    context.host.layer.sendRequest(request, {
      onFinal: (response) => resolve({ kind: 'final', response }),
      onAdditional2xx: (response) => context.session.receiveRetransmitted2xx(response),
      onTimeout: () => resolve({ kind: 'timeout' }),
      onTransportError: () => resolve({ kind: 'transport-error' }),
    });
  });
}

/**
 * A restartable timer of the session: each call replaces the pending callback; it stops when the
 * session ends.
 */
export function restartableTimer(context: SessionContext): (ms: number, callback: () => void) => void {
  const { clock } = context.host;
  let handle: TimerHandle | undefined;
  const stop = (): void => {
    if (handle !== undefined) clock.clearTimeout(handle);
  };
  context.events.on('ended', stop);
  return (ms, callback) => {
    stop();
    handle = clock.setTimeout(callback, ms);
  };
}

/** Allow and Supported (§20.5, §20.37): what we can do, in every request or 2xx that shapes the session. */
export function sessionFields({ allow, supported }: SessionSettings): HeaderFields {
  return [
    ['Allow', allow.join(', ')],
    ...(supported.length ? [['Supported', supported.join(', ')] as const] : []),
  ];
}

/** The extensions' header fields of one kind of message ({@link SessionHooks.headers}). */
export function hookFields(
  hooks: readonly SessionHooks[],
  kind: 'invite' | 'change' | 'answer',
  request?: SipRequest,
): HeaderFields {
  return hooks.flatMap((h) => h.headers?.(kind, request) ?? []);
}

/** An exchange committed: runs the {@link SessionHooks.committed} hooks. */
export function commit(hooks: readonly SessionHooks[], response?: SipResponse): void {
  for (const h of hooks) h.committed?.(response);
}

/** Runs media work whose failure is only logged (the exchange already committed on the wire). */
export async function settle(host: SessionHost, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    host.logger.warn('media', { error: String(error) });
  }
}

/**
 * Drops our pending offer (and the handler's). RFC 3261 §14.1: "If a UA receives a non-2xx final
 * response to a re-INVITE, the session parameters MUST remain unchanged, as if no re-INVITE had
 * been issued."
 */
export function abandon({ host, oa, handler }: Pick<SessionContext, 'host' | 'oa' | 'handler'>): void {
  if (oa.state !== 'have-local-offer') return;
  oa.rollback();
  void settle(host, () => handler.rollback());
}

/** A uniformly chosen integer in [0, n) from the injected random source. */
export function randomBelow(host: SessionHost, n: number): number {
  return Number.parseInt(host.random.hex(4), 16) % n;
}

/** The credentials answering the challenge of a 401/407 `response` to `request` (§22.2), if we have them. */
export function credentials(
  host: SessionHost,
  request: SipRequest,
  response: SipResponse,
): HeaderFields | undefined {
  const header = response.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  const challenges = getAuthValues(response, header);
  const result =
    challenges.ok &&
    host.authenticator?.authorize(
      { method: request.method, uri: formatUri(request.uri), body: request.body },
      challenges.value,
      header,
    );
  return result && result.ok ? [[result.headerName, formatCredentials(result.value)]] : undefined;
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
  const result = await transact(context, request);
  const status = result.kind === 'final' ? result.response.status : 0;
  const answer =
    result.kind === 'final' &&
    (status === 401 || status === 407) &&
    credentials(context.host, request, result.response);
  const final = answer && dialog.state !== 'terminated' ? await transact(context, build(answer)) : result;
  // §12.2.1.2: "When a UAC receives a 2xx response to a target refresh request, it MUST replace the
  // dialog's remote target URI with the URI from the Contact header field in that response, if
  // present." The dialog knows which methods refresh the target (re-INVITE, UPDATE).
  if (final.kind === 'final') dialog.receiveResponse(final.response);
  return final;
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
