/**
 * Recovering enough of a malformed request to answer it, RFC 3261 §21.4.1 (400 Bad Request).
 * A request whose body or Content-Length is wrong still has a readable head: Via, From, To,
 * Call-ID and CSeq are all a response needs.
 */
import type { SipRequest } from '../message/sip-message';
import { parseMessage } from '../parser/parse-message';

/** The request head re-parsed without its body and Content-Length, or undefined. Never throws. */
export function salvageRequest(text: string): SipRequest | undefined {
  if (text.length > 65_536) return undefined;
  let end = text.indexOf('\r\n\r\n');
  if (end < 0) end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const lines = head.split(/\r?\n/).filter((line) => !/^(content-length|l)[ \t]*:/i.test(line));
  const parsed = parseMessage(lines.join('\r\n') + '\r\n\r\n');
  return parsed.ok && parsed.value.kind === 'request' ? parsed.value : undefined;
}
