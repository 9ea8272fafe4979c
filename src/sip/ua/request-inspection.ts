/**
 * The checks a UAS core makes on every new request before any transaction user sees it,
 * RFC 3261 §8.2.1–§8.2.3, as one pure ladder. The first failing rung decides the response.
 */
import { getCSeq, getCallId, getFrom, getTo, getTokens, getVias } from '../message/headers';
import type { SipRequest } from '../message/sip-message';

/** What the core supports; used for Allow, Supported and the checks below. */
export interface UaCapabilities {
  /** Methods this UA implements (§8.2.1); others get 501 or 405. */
  readonly allowed: readonly string[];
  /** Option tags this UA understands (§8.2.2.3). */
  readonly supported: readonly string[];
  /** URI schemes accepted in the Request-URI (§8.2.2.1). */
  readonly schemes: readonly string[];
}

/** Methods defined by RFC 3261 and its extensions; "known" decides 405 versus 501 (§8.2.1). */
const KNOWN_METHODS = new Set([
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'INFO',
  'REFER',
  'MESSAGE',
  'UPDATE',
]);

/** A rejection: the response the UAS core must send, with any header it requires. */
export interface Rejection {
  readonly status: number;
  readonly reason: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/**
 * Returns the rejection for a request that fails a §8.2 check, or `undefined` when it may proceed.
 * ACK is never rejected (no response can be sent to it, §17.2.3); the caller drops a bad ACK.
 */
export function inspectRequest(request: SipRequest, caps: UaCapabilities): Rejection | undefined {
  const reject = (status: number, reason: string, headers: Rejection['headers'] = []): Rejection => ({
    status,
    reason,
    headers,
  });

  // §8.1.1: To, From, CSeq, Call-ID, Max-Forwards and Via are mandatory in every request; a UAS
  // cannot build a response, let alone process a request, without the first five.
  const vias = getVias(request);
  if (!vias.ok || vias.value.length === 0) return reject(400, 'Bad Request (Via)');
  for (const [name, result] of [
    ['From', getFrom(request)],
    ['To', getTo(request)],
    ['Call-ID', getCallId(request)],
  ] as const) {
    if (!result.ok) return reject(400, `Bad Request (${name})`);
  }
  const cseq = getCSeq(request);
  if (!cseq.ok) return reject(400, 'Bad Request (CSeq)');
  // §8.1.1.5: "The method MUST match the method of the request."
  if (cseq.value.method !== request.method) return reject(400, 'Bad Request (CSeq method mismatch)');

  if (request.method === 'ACK') return undefined;

  // §8.2.1: "If a UAS recognizes but does not support the method of a request, it MUST generate a
  // 405 (Method Not Allowed) response ... The UAS MUST also add an Allow header field".
  if (!caps.allowed.includes(request.method)) {
    if (KNOWN_METHODS.has(request.method))
      return reject(405, 'Method Not Allowed', [['Allow', caps.allowed.join(', ')]]);
    // §21.5.2: 501 "is the appropriate response when a UAS does not recognize the request method".
    return reject(501, 'Not Implemented', [['Allow', caps.allowed.join(', ')]]);
  }

  // §8.2.2.1: "If the Request-URI uses a scheme not supported by the UAS, it SHOULD reject the
  // request with a 416 (Unsupported URI Scheme) response."
  if (!caps.schemes.includes(request.uri.scheme.toLowerCase())) return reject(416, 'Unsupported URI Scheme');

  // §8.2.2.3: "If a UAS does not understand an option-tag listed in a Require header field, it MUST
  // respond by generating a response with status code 420 (Bad Extension). The UAS MUST add an
  // Unsupported header field". Requirements are not processed for CANCEL (§8.2.2.3).
  if (request.method !== 'CANCEL') {
    const required = getTokens(request, 'Require');
    if (!required.ok) return reject(400, 'Bad Request (Require)');
    const unknown = required.value.filter((tag) => !caps.supported.includes(tag.toLowerCase()));
    if (unknown.length > 0) return reject(420, 'Bad Extension', [['Unsupported', unknown.join(', ')]]);
  }
  return undefined;
}
