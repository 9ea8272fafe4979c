/**
 * Building a response to a received request, RFC 3261 §8.2.6.
 */
import { createResponse, type SipRequest, type SipResponse } from '../message/sip-message';
import { reasonPhrase } from './reason-phrases';

export interface ResponseOptions {
  /** Reason phrase; the standard one for the status when omitted. */
  reason?: string;
  /**
   * Tag to add to To when the request's To has none. §8.2.6.2: "the UAS MUST add a tag to the To
   * header field in the response (with the exception of the 100 (Trying) response, in which a tag
   * MAY be present)".
   */
  toTag?: string;
  /** Extra header fields, appended after the copied ones. */
  headers?: Iterable<readonly [string, string]>;
  body?: string;
}

/**
 * §8.2.6.2: "The From field of the response MUST equal the From header field of the request. The
 * Call-ID header field of the response MUST equal the Call-ID header field of the request. The CSeq
 * header field of the response MUST equal the CSeq field of the request. The Via header field values
 * in the response MUST equal the Via header field values in the request and MUST maintain the same
 * ordering."
 *
 * The copied values are the raw texts of the request, so a response can be built even when one of
 * those headers failed to parse into a value (the 400 for such a request still needs them).
 */
export function createResponseTo(
  request: SipRequest,
  status: number,
  options: ResponseOptions = {},
): SipResponse {
  const response = createResponse(status, options.reason ?? reasonPhrase(status));
  const h = response.headers;
  for (const via of request.headers.getAll('Via')) h.append('Via', via);
  for (const name of ['From', 'To', 'Call-ID', 'CSeq']) {
    const value = request.headers.get(name);
    if (value === undefined) continue;
    const addTag = name === 'To' && status > 100 && options.toTag && !hasTag(value);
    h.append(name, addTag ? `${value};tag=${options.toTag}` : value);
  }
  for (const [name, value] of options.headers ?? []) h.append(name, value);
  if (options.body !== undefined) response.body = options.body;
  return response;
}

/** True when a To/From value carries a `tag` header parameter (outside the URI's angle brackets). */
export function hasTag(nameAddr: string): boolean {
  const close = nameAddr.lastIndexOf('>');
  const params = close >= 0 ? nameAddr.slice(close + 1) : nameAddr.slice(nameAddr.indexOf(';'));
  return /;\s*tag\s*=/i.test(params);
}
