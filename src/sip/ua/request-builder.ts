/**
 * The header fields every request a UAC originates carries, RFC 3261 §8.1.1: "A valid SIP request
 * formulated by a UAC MUST, at a minimum, contain the following header fields: To, From, CSeq,
 * Call-ID, Max-Forwards, and Via". Via is the client transaction's (§8.1.1.7); the rest is built
 * here once, for requests outside a dialog (REGISTER, OPTIONS, the initial INVITE) and inside one
 * (§12.2.1.1 fills the same fields from the dialog state).
 */
import { formatNameAddr } from '../message/headers';
import { createRequest, type SipRequest } from '../message/sip-message';
import type { NameAddr, Uri } from '../message/types';

export interface RequestFields {
  /** §8.1.1.2; inside a dialog, the remote URI with the remote tag. */
  readonly to: NameAddr;
  /** §8.1.1.3: "the From field MUST contain a new 'tag' parameter, chosen by the UAC". */
  readonly from: NameAddr;
  /** §8.1.1.4; outside a dialog, new for each request except REGISTER refreshes (§10.2.4). */
  readonly callId: string;
  /** §8.1.1.5: the CSeq number; the method is the request's. */
  readonly seq: number;
  /** Route values in order (§12.2.1.1); they precede To and From. */
  readonly routes?: readonly NameAddr[];
  /** Further header fields (Contact, Expires, Allow, …), after the mandatory ones. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
}

/** §8.1.1.6: "A UAC MUST insert a Max-Forwards header field ... with a value that SHOULD be 70". */
const MAX_FORWARDS = '70';

/**
 * A request with Max-Forwards, Route, To, From, Call-ID, CSeq and `fields.headers`, in that order.
 * @throws InvalidArgumentError (from {@link createRequest}) when `method` is not a token or an
 *   extra header field is invalid.
 */
export function buildRequest(method: string, uri: Uri, fields: RequestFields): SipRequest {
  return createRequest(
    method,
    uri,
    [
      ['Max-Forwards', MAX_FORWARDS],
      ...(fields.routes ?? []).map((route) => ['Route', formatNameAddr(route)] as const),
      ['To', formatNameAddr(fields.to)],
      ['From', formatNameAddr(fields.from)],
      ['Call-ID', fields.callId],
      ['CSeq', `${fields.seq} ${method}`],
      ...(fields.headers ?? []),
    ],
    fields.body,
  );
}
