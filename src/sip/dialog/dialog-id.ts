/**
 * Dialog identifiers, RFC 3261 §12: "A dialog is identified at each UA with a dialog ID, which
 * consists of a Call-ID value, a local tag and a remote tag." The same dialog has mirrored ids at
 * the two ends: my local tag is your remote tag.
 */

import { getCallId, getFrom, getTo } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { NameAddr } from '../message/types';
import { ok, type ParseResult } from '../parser/parse-result';

export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

/** A dialog id with the local and remote URI it was read with (§12: both are dialog state). */
export interface DialogParties extends DialogId {
  /** Our From (as a UAC) or To (as a UAS), as the message carried it. */
  readonly local: NameAddr;
  readonly remote: NameAddr;
}

/**
 * A string key for maps, equal for equal ids and distinct otherwise. Call-ID and tags are compared
 * as exact strings (§20.8: Call-IDs are case-sensitive and compared byte-by-byte); JSON keeps the
 * encoding injective even if a lenient parser let an odd character through.
 */
export function dialogKey(id: DialogId): string {
  return JSON.stringify([id.callId, id.localTag, id.remoteTag]);
}

export function dialogIdEquals(a: DialogId, b: DialogId): boolean {
  return dialogKey(a) === dialogKey(b);
}

/**
 * The `tag` parameter of a From or To value. §12.1.1/§12.1.2: a UA "MUST be prepared to receive a
 * request [response] without a tag in the From [To] field, in which case the tag is considered to
 * have a value of null" (RFC 2543 peers did not always send one); null is represented as `''`.
 */
export function tagOf(address: NameAddr): string {
  return address.params['tag'] ?? '';
}

/**
 * The dialog id of a message as this UA sees it. A response answers a request we sent, so its
 * From is us; a request was sent to us, so its To is us.
 *
 * - A response, §12.1.2 (UAC): "The call identifier of the dialog MUST be set to the Call-ID of the
 *   INVITE. The local tag of the dialog MUST be set to the tag in the From field in the request,
 *   and the remote tag MUST be set to the tag in the To field of the response." From and Call-ID
 *   are echoed unchanged in every response (§8.2.6.2), so the response alone suffices. Also
 *   matches a response to a request sent inside a dialog (§12.2.1.2).
 * - A request, §12.1.1 (UAS): "The call identifier of the dialog MUST be set to the value of the
 *   Call-ID in the request. The local tag of the dialog MUST be set to the tag in the To field in
 *   the response to the request (which always includes a tag), and the remote tag of the dialog
 *   MUST be set to the tag in the From field of the request."
 *
 * @param localTag for a dialog-creating request: the tag this UAS puts in its response's To field.
 *   Omit it otherwise (§12.2.2: the To tag of a request inside the dialog is the local tag).
 */
export function dialogIdOf(message: SipRequest | SipResponse, localTag?: string): ParseResult<DialogParties> {
  const callId = getCallId(message);
  if (!callId.ok) return callId;
  const from = getFrom(message);
  if (!from.ok) return from;
  const to = getTo(message);
  if (!to.ok) return to;
  const [local, remote] = message.kind === 'response' ? [from.value, to.value] : [to.value, from.value];
  return ok({
    callId: callId.value,
    localTag: localTag ?? tagOf(local),
    remoteTag: tagOf(remote),
    local,
    remote,
  });
}

export { dialogIdOf as dialogIdFromRequest, dialogIdOf as dialogIdFromResponse };
