/**
 * Why a call ended, as the application sees it: who ended it (`originator`) and a cause, with the
 * SIP status and the Reason header (RFC 3326) when the network supplied them.
 */
import { getReasons, quoteString } from '../message/headers';
import type { SipMessage, SipResponse } from '../message/sip-message';

export type EndOriginator = 'local' | 'remote' | 'system';

export type EndCause =
  /** A BYE ended an established call (either side). */
  | 'bye'
  /** A CANCEL ended a call before it was answered (either side), or our INVITE got 487. */
  | 'cancel'
  /** 486 Busy Here / 600 Busy Everywhere. */
  | 'busy'
  /** 603 Decline and any other 4xx–6xx not listed here. */
  | 'rejected'
  /** RFC 3326: a CANCEL with `Reason: SIP;cause=200` — another device answered. */
  | 'completed-elsewhere'
  /** 404 Not Found / 604 Does Not Exist Anywhere. */
  | 'not-found'
  /** 480 Temporarily Unavailable. */
  | 'unavailable'
  /** 488 Not Acceptable Here / 606 Not Acceptable, or our media could not take the offer. */
  | 'not-acceptable'
  /** 3xx: the callee moved; redirection is not followed here. */
  | 'redirected'
  /** 408, or Timer B (§8.1.3.1: a timeout "treated as a 408"). */
  | 'request-timeout'
  /** The transport refused a send (§8.1.3.1: "treated as a 503"). */
  | 'transport-error'
  /** A second challenge for the credentials just sent, or no usable challenge / no password. */
  | 'auth-failed'
  /** §13.3.1.4: no ACK for our 2xx within 64·T1. */
  | 'no-ack'
  /** RFC 4028 §10: the session expired without a refresh. */
  | 'session-expired'
  /** The session could not go on (481 to an in-dialog request, media failure, bad answer). */
  | 'dialog-error';

/** A Reason header value as received (RFC 3326 §2). */
export interface ReasonInfo {
  readonly protocol: string;
  readonly cause: number | undefined;
  readonly text: string | undefined;
}

export interface SessionEnd {
  readonly originator: EndOriginator;
  readonly cause: EndCause;
  /** The final status of the INVITE when it ended the call. */
  readonly status?: number;
  /** The reason phrase of that status, or the Reason header's text. */
  readonly reason?: string;
  /** Every Reason header value of the message that ended the call. */
  readonly reasons?: readonly ReasonInfo[];
  /**
   * The response received that ended the call (a 3xx–6xx to our INVITE, a 481 to an in-dialog
   * request), for what the session does not interpret: the Warning header (RFC 3261 §20.43) and
   * the body of a 488 (§21.4.26).
   */
  readonly response?: SipResponse;
}

/** The causes of the final statuses that have their own; any other 4xx–6xx is `rejected`. */
const CAUSES: Readonly<Record<number, EndCause>> = {
  401: 'auth-failed',
  404: 'not-found',
  407: 'auth-failed',
  408: 'request-timeout',
  480: 'unavailable',
  486: 'busy',
  487: 'cancel',
  488: 'not-acceptable',
  600: 'busy',
  604: 'not-found',
  606: 'not-acceptable',
};

/** The cause of a 3xx–6xx final response to an INVITE. */
export function causeOfStatus(status: number): EndCause {
  return status < 400 ? 'redirected' : (CAUSES[status] ?? 'rejected');
}

/** The Reason values of a message; a malformed Reason header is ignored (it only informs). */
export function reasonsOf(message: SipMessage): ReasonInfo[] {
  const parsed = getReasons(message);
  if (!parsed.ok) return [];
  return parsed.value.map((r) => {
    const cause = r.params['cause'];
    const text = r.params['text'];
    const n = cause === undefined || cause === null ? NaN : Number.parseInt(cause, 10);
    return {
      protocol: r.protocol,
      cause: Number.isNaN(n) ? undefined : n,
      text: text === null ? undefined : text,
    };
  });
}

/**
 * RFC 3326 §2 with RFC 3261 codes: `Reason: SIP;cause=200;text="Call completed elsewhere"` on a
 * CANCEL means another branch answered (the use RFC 3326 §1 and RFC 5393 describe for forking
 * proxies).
 */
export function isCompletedElsewhere(reasons: readonly ReasonInfo[]): boolean {
  return reasons.some((r) => r.protocol.toUpperCase() === 'SIP' && r.cause === 200);
}

/** Formats one Reason header value, `SIP;cause=200;text="Call completed elsewhere"`. */
export function formatReasonHeader(protocol: string, cause: number, text?: string): string {
  return `${protocol};cause=${cause}${text === undefined ? '' : `;text=${quoteString(text)}`}`;
}

/** The Reason header a proxy or UA puts on the CANCEL of the branches that lost (RFC 3326). */
export const COMPLETED_ELSEWHERE = /* @__PURE__ */ formatReasonHeader('SIP', 200, 'Call completed elsewhere');
