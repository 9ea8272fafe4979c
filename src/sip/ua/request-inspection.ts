/**
 * The checks a UAS core makes on every new request before any transaction user sees it,
 * RFC 3261 §8.2.1–§8.2.3, as one pure ladder. The first failing rung decides the response.
 */
import { getTokens } from '../message/headers';
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
 * A response the UAS core sends itself: status, reason phrase (the standard one when absent) and
 * the header fields the status requires.
 */
export type Answer = readonly [
  status: number,
  reason?: string,
  headers?: ReadonlyArray<readonly [string, string]>,
];

/**
 * Returns the rejection for a new request that fails a §8.2 check, or `undefined` when it may
 * proceed. The mandatory header fields are checked before (the transaction layer answers a bad Via
 * or CSeq, the user agent a bad From, To or Call-ID), and an ACK never arrives as a new request.
 */
export function inspectRequest(request: SipRequest, caps: UaCapabilities): Answer | undefined {
  // §8.2.1: "If a UAS recognizes but does not support the method of a request, it MUST generate a
  // 405 (Method Not Allowed) response ... The UAS MUST also add an Allow header field". §21.5.2:
  // 501 "is the appropriate response when a UAS does not recognize the request method".
  if (!caps.allowed.includes(request.method))
    return [KNOWN_METHODS.test(request.method) ? 405 : 501, undefined, [['Allow', caps.allowed.join(', ')]]];

  // §8.2.2.1: "If the Request-URI uses a scheme not supported by the UAS, it SHOULD reject the
  // request with a 416 (Unsupported URI Scheme) response."
  if (!caps.schemes.includes(request.uri.scheme.toLowerCase())) return [416];

  // §8.2.2.3: "If a UAS does not understand an option-tag listed in a Require header field, it MUST
  // respond by generating a response with status code 420 (Bad Extension). The UAS MUST add an
  // Unsupported header field". Requirements are not processed for CANCEL (§8.2.2.3).
  if (request.method === 'CANCEL') return undefined;
  const required = getTokens(request, 'Require');
  if (!required.ok) return [400, 'Bad Request (Require)'];
  const unknown = required.value.filter((tag) => !caps.supported.includes(tag.toLowerCase()));
  return unknown.length ? [420, undefined, [['Unsupported', unknown.join(', ')]]] : undefined;
}
