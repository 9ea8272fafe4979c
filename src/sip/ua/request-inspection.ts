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
const KNOWN_METHODS =
  /^(INVITE|ACK|BYE|CANCEL|OPTIONS|REGISTER|PRACK|SUBSCRIBE|NOTIFY|PUBLISH|INFO|REFER|MESSAGE|UPDATE)$/;

/**
 * A rejection: the response the UAS core must send, with any header it requires. Without a
 * `reason`, the status's standard phrase is used.
 */
export interface Rejection {
  readonly status: number;
  readonly reason?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/**
 * Returns the rejection for a request that fails a §8.2 check, or `undefined` when it may proceed.
 * ACK is never rejected (no response can be sent to it, §17.2.3); the caller drops a bad ACK.
 */
export function inspectRequest(request: SipRequest, caps: UaCapabilities): Rejection | undefined {
  // §8.1.1: To, From, CSeq, Call-ID, Max-Forwards and Via are mandatory in every request; a UAS
  // cannot build a response, let alone process a request, without the first five.
  const vias = getVias(request);
  const cseq = getCSeq(request);
  for (const [name, valid] of [
    ['Via', vias.ok && vias.value.length > 0],
    ['From', getFrom(request).ok],
    ['To', getTo(request).ok],
    ['Call-ID', getCallId(request).ok],
    // §8.1.1.5: "The method MUST match the method of the request."
    ['CSeq', cseq.ok && cseq.value.method === request.method],
  ] as const) {
    // §21.4.1: "The Reason-Phrase SHOULD identify the syntax problem in more detail".
    if (!valid) return { status: 400, reason: `Bad Request (${name})` };
  }

  if (request.method === 'ACK') return undefined;

  // §8.2.1: "If a UAS recognizes but does not support the method of a request, it MUST generate a
  // 405 (Method Not Allowed) response ... The UAS MUST also add an Allow header field". §21.5.2:
  // 501 "is the appropriate response when a UAS does not recognize the request method".
  if (!caps.allowed.includes(request.method)) {
    return {
      status: KNOWN_METHODS.test(request.method) ? 405 : 501,
      headers: [['Allow', caps.allowed.join(', ')]],
    };
  }

  // §8.2.2.1: "If the Request-URI uses a scheme not supported by the UAS, it SHOULD reject the
  // request with a 416 (Unsupported URI Scheme) response."
  if (!caps.schemes.includes(request.uri.scheme.toLowerCase())) return { status: 416 };

  // §8.2.2.3: "If a UAS does not understand an option-tag listed in a Require header field, it MUST
  // respond by generating a response with status code 420 (Bad Extension). The UAS MUST add an
  // Unsupported header field". Requirements are not processed for CANCEL (§8.2.2.3).
  if (request.method !== 'CANCEL') {
    const required = getTokens(request, 'Require');
    if (!required.ok) return { status: 400, reason: 'Bad Request (Require)' };
    const unknown = required.value.filter((tag) => !caps.supported.includes(tag.toLowerCase()));
    if (unknown.length > 0) return { status: 420, headers: [['Unsupported', unknown.join(', ')]] };
  }
  return undefined;
}
