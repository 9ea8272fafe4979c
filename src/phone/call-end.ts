/**
 * Why a call ended, in words for the person using the phone. The session layer reports an
 * originator, a cause and the final status with its Reason headers (RFC 3326); this module adds
 * the Warning header (RFC 3261 §20.43) of the final response and, for media refusals, the media
 * layer's comparison of the offered and supported codecs and transports. Pure functions.
 */
import type { EndCause, EndOriginator, ReasonInfo, SessionEnd } from '../sip/index';

/** The session layer's causes, plus what only the glue can see. */
export type CallEndCause =
  | EndCause
  /** Our microphone/camera or peer connection failed (permission denied, no device, ICE failed). */
  | 'media-failed'
  /** The dial string was not a callable address. */
  | 'invalid-target';

export interface CallEndInfo {
  readonly originator: EndOriginator;
  readonly cause: CallEndCause;
  /** The final SIP status, when a response ended the call. */
  readonly status?: number;
  /** One or two sentences for the UI: "Busy", "Call completed elsewhere", "The other side offered only G.729 …". */
  readonly reason: string;
  /** The protocol detail behind `reason`, e.g. `488 Not Acceptable Here`, for logs and tooltips. */
  readonly detail?: string;
}

/** One Warning header value (RFC 3261 §20.43): `warn-code SP warn-agent SP warn-text`. */
export interface WarningValue {
  readonly code: number;
  readonly agent: string;
  readonly text: string;
}

/**
 * Parses Warning header values; malformed ones are skipped (a Warning only informs).
 *
 * §25.1: `warning-value = warn-code SP warn-agent SP warn-text`, `warn-code = 3DIGIT`,
 * `warn-text = quoted-string`.
 */
export function parseWarnings(values: readonly string[]): WarningValue[] {
  const out: WarningValue[] = [];
  for (const value of values) {
    const pattern = /\s*(\d{3})\s+(\S+)\s+"((?:[^"\\]|\\.)*)"\s*(?:,|$)/gy;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(value)) !== null) {
      out.push({ code: Number(match[1]), agent: match[2]!, text: match[3]!.replace(/\\(.)/g, '$1') });
      if (pattern.lastIndex >= value.length) break;
    }
  }
  return out;
}

/** §20.43's warn-codes in plain words (the 3xx codes all concern the session description). */
const WARNING_WORDS: Readonly<Record<number, string>> = {
  300: 'it does not support the network protocol offered',
  301: 'it does not support the network address format offered',
  302: 'it does not support the transport protocol offered',
  303: 'it does not understand the bandwidth units offered',
  304: 'it cannot use the type of media offered (audio or video)',
  305: 'it has no audio or video format in common with this browser',
  306: 'it does not understand part of the media description',
  307: 'it does not understand part of the media description',
  330: 'it cannot receive multicast media',
  331: 'it cannot receive unicast media',
  370: 'there is not enough bandwidth for the call',
};

/** What the Warning headers say, as a sentence; `undefined` when there are none. */
export function describeWarnings(warnings: readonly WarningValue[]): string | undefined {
  const first = warnings[0];
  if (!first) return undefined;
  const words = WARNING_WORDS[first.code];
  const text = first.text.trim();
  if (words) return `The other side says ${words}${text === '' ? '' : ` ("${text}")`}.`;
  return text === '' ? undefined : `The other side says: "${text}".`;
}

/** ITU-T Q.850 cause values that PBXs and gateways put in `Reason: Q.850;cause=…`. */
const Q850_WORDS: Readonly<Record<number, string>> = {
  1: 'The number does not exist.',
  3: 'There is no route to that number.',
  16: 'The call ended normally.',
  17: 'Busy',
  18: 'Nobody answered.',
  19: 'Nobody answered.',
  20: 'The phone is switched off or out of reach.',
  21: 'The call was declined.',
  22: 'The number has changed.',
  27: 'The destination is out of order.',
  28: 'The number is incomplete or badly formatted.',
  31: 'The call could not be completed.',
  34: 'No line is available right now. Try again later.',
  38: 'The network is out of order.',
  41: 'A temporary network failure ended the call.',
  42: 'The network is congested. Try again later.',
  58: 'The network cannot carry this kind of call right now.',
  65: 'The network cannot carry this kind of call.',
  88: 'The other side cannot take this kind of call (incompatible destination).',
  102: 'The network timed out.',
  127: 'The call failed between two networks.',
};

/** Plain words for final statuses that carry their own meaning (RFC 3261 §21 and extensions). */
const STATUS_WORDS: Readonly<Record<number, string>> = {
  400: 'The server could not understand the call request.',
  401: 'The server asked for a password it did not accept. Check the account settings.',
  402: 'The call needs payment on the server.',
  403: 'The server does not allow this call.',
  404: 'That number or address does not exist.',
  405: 'The server does not accept calls this way.',
  406: 'The other side cannot accept this call.',
  407: 'The proxy asked for a password it did not accept. Check the account settings.',
  408: 'Nobody answered in time.',
  410: 'That number or address is no longer in use.',
  413: 'The call request was too large for the server.',
  414: 'The address is too long for the server.',
  415: 'The other side does not understand how the call was described.',
  416: 'The server does not support that kind of address.',
  420: 'The other side lacks a feature this call needs.',
  421: 'The other side needs a feature this phone does not offer.',
  422: 'The other side wanted a different session refresh interval.',
  423: 'The server wanted a longer interval.',
  480: 'Not available right now.',
  481: 'The other side lost track of the call.',
  482: 'The call looped back through the network.',
  483: 'The call passed through too many servers.',
  484: 'The number is incomplete.',
  485: 'The address is ambiguous.',
  486: 'Busy',
  487: 'The call was cancelled.',
  488: 'The other side could not accept the call’s audio or video settings.',
  491: 'The other side was busy changing the call.',
  493: 'The other side could not decrypt the call request.',
  500: 'The server had an internal error.',
  501: 'The server does not support this kind of call.',
  502: 'A gateway on the way failed.',
  503: 'The service is unavailable right now. Try again later.',
  504: 'A server on the way timed out.',
  505: 'The server does not speak this SIP version.',
  513: 'The call request was too large.',
  580: 'The media could not be set up as required.',
  600: 'Busy everywhere.',
  603: 'Declined',
  604: 'That number or address does not exist anywhere.',
  606: 'The other side cannot accept this call’s audio or video settings.',
  607: 'The call was marked as unwanted.',
  608: 'The call was rejected by an intermediary.',
};

/** The sentence for a final status; the class's meaning for statuses not listed. */
export function describeStatus(status: number): string {
  const known = STATUS_WORDS[status];
  if (known) return known;
  if (status >= 300 && status < 400) return 'The call was redirected, which this phone does not follow.';
  if (status >= 400 && status < 500) return 'The call request was refused.';
  if (status >= 500 && status < 600) return 'A server failed to complete the call.';
  if (status >= 600 && status < 700) return 'The call was refused everywhere.';
  return 'The call failed.';
}

const CAUSE_WORDS: Readonly<Record<CallEndCause, string>> = {
  bye: 'Call ended',
  cancel: 'Call cancelled',
  busy: 'Busy',
  rejected: 'Declined',
  'completed-elsewhere': 'Call completed elsewhere',
  'not-found': 'That number or address does not exist.',
  unavailable: 'Not available right now.',
  'not-acceptable': 'The other side could not accept the call’s audio or video settings.',
  redirected: 'The call was redirected, which this phone does not follow.',
  'request-timeout': 'Nobody answered in time.',
  'transport-error': 'The connection to the server was lost.',
  'auth-failed': 'The server refused the credentials. Check the account settings.',
  'no-ack': 'The other side never confirmed the answer, so the call was dropped.',
  'session-expired': 'The call was dropped: it was not refreshed in time.',
  'dialog-error': 'The call could not continue (the other side lost track of it).',
  'media-failed': 'The audio or video could not be set up.',
  'invalid-target': 'That is not a number or address this phone can call.',
};

/** Extra facts the glue knows when a call ends. */
export interface EndContext {
  readonly direction: 'incoming' | 'outgoing';
  /** Warning values of the final response that ended the call. */
  readonly warnings?: readonly WarningValue[];
  /**
   * A plain-words reason from the media layer: why the peer's SDP could not be used
   * (`explainIncompatibility`) or why the microphone/camera failed (`MediaAccessError.message`).
   */
  readonly mediaExplanation?: string;
  /** Whether `mediaExplanation` comes from a local device or peer-connection failure. */
  readonly mediaFailed?: boolean;
}

function firstReasonText(reasons: readonly ReasonInfo[] | undefined): string | undefined {
  const text = reasons?.find((r) => r.text !== undefined && r.text.trim() !== '')?.text;
  return text?.trim();
}

function q850Words(reasons: readonly ReasonInfo[] | undefined): string | undefined {
  const q850 = reasons?.find((r) => r.protocol.toUpperCase() === 'Q.850' && r.cause !== undefined);
  return q850?.cause === undefined ? undefined : Q850_WORDS[q850.cause];
}

/**
 * The {@link CallEndInfo} of a session end. The sentence is the cause's (or the status's), made
 * precise by, in order: the media layer's explanation (488/606 and local media failures), the
 * Warning header, the Q.850 cause, the Reason header's text.
 */
export function describeCallEnd(end: SessionEnd, context: EndContext): CallEndInfo {
  let cause: CallEndCause = end.cause;
  if (context.mediaFailed) cause = 'media-failed';
  const status = end.status;
  const detail =
    status !== undefined ? `${status}${end.reason ? ` ${end.reason}` : ''}` : (end.reason ?? undefined);

  let reason: string;
  if (cause === 'media-failed') {
    reason = context.mediaExplanation ?? CAUSE_WORDS['media-failed'];
  } else if (cause === 'not-acceptable') {
    // RFC 3261 §21.4.26 488: "the response MAY contain a Warning header field value explaining why
    // the offer was rejected" — our own comparison is more precise when we have the peer's SDP.
    const why = context.mediaExplanation ?? describeWarnings(context.warnings ?? []);
    const base = status !== undefined ? describeStatus(status) : CAUSE_WORDS['not-acceptable'];
    reason = why ?? base;
    if (why !== undefined && context.mediaExplanation === undefined) reason = `${base} ${why}`;
  } else if (cause === 'completed-elsewhere') {
    reason = CAUSE_WORDS['completed-elsewhere'];
  } else if (cause === 'cancel') {
    reason =
      end.originator === 'remote' && context.direction === 'incoming'
        ? 'The caller hung up before the call was answered.'
        : CAUSE_WORDS.cancel;
  } else if (cause === 'bye') {
    reason =
      end.originator === 'remote'
        ? 'The other side hung up.'
        : end.originator === 'local'
          ? 'You hung up.'
          : CAUSE_WORDS.bye;
  } else if (status !== undefined && status >= 300 && end.originator === 'remote') {
    // A final failure from the network: the status says most, extra headers say the rest.
    const base = describeStatus(status);
    const extra = describeWarnings(context.warnings ?? []) ?? q850Words(end.reasons);
    reason = extra && extra !== base ? `${base} ${extra}` : base;
  } else {
    reason = CAUSE_WORDS[cause];
  }
  const text = firstReasonText(end.reasons);
  if (
    text !== undefined &&
    cause !== 'completed-elsewhere' &&
    cause !== 'media-failed' &&
    cause !== 'bye' &&
    !reason.toLowerCase().includes(text.toLowerCase())
  ) {
    reason = `${reason} (${text})`;
  }
  return {
    originator: end.originator,
    cause,
    ...(status === undefined ? {} : { status }),
    reason,
    ...(detail === undefined || detail === '' ? {} : { detail }),
  };
}
