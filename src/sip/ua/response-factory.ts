/**
 * Building a response to a received request, RFC 3261 §8.2.6.
 */
import { createResponse, type SipRequest, type SipResponse } from '../message/sip-message';

/**
 * Default reason phrases. RFC 3261 §21: the Reason-Phrase is "intended for the human user" and a
 * peer acts on the status code alone, so any text is correct, an empty one included (§25.1); we
 * still send the standard phrase, as people read traces. The list holds only the codes this core
 * sends itself (the §8.2 answers of the UA core, the INVITE session's); anyone sending another code
 * (a registrar, a proxy, an embedder's `reject()`) passes its phrase or sends none. One string of
 * `<code><phrase>` entries rather than an object: a table costs its keys and quotes twice over.
 */
const PHRASES =
  '180Ringing,183Session Progress,200OK,400Bad Request,405Method Not Allowed,' +
  '415Unsupported Media Type,416Unsupported URI Scheme,420Bad Extension,' +
  '422Session Interval Too Small,480Temporarily Unavailable,481Call/Transaction Does Not Exist,' +
  '482Loop Detected,486Busy Here,487Request Terminated,488Not Acceptable Here,491Request Pending,' +
  '500Server Internal Error,501Not Implemented,505Version Not Supported,603Decline';

/** The standard phrase of a status code this core sends, else the empty phrase. */
export function reasonPhrase(status: number): string {
  return (
    PHRASES.split(',')
      .find((entry) => entry.startsWith(String(status)))
      ?.slice(3) ?? ''
  );
}

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
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq'])
    for (const value of request.headers.getAll(name)) {
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
