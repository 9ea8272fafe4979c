/**
 * Recovering enough of a malformed request to answer it. A request whose body, Content-Length,
 * version or mandatory headers are wrong often still has a readable head: the Via, From, To,
 * Call-ID and CSeq that a response copies (§8.2.6.2).
 */
import type { SipRequest } from '../message/sip-message';
import type { ParseErrorCode } from '../parser/parse-result';
import { parseMessage } from '../parser/parse-message';

export interface Salvaged {
  readonly request: SipRequest;
  /**
   * §8.2 / §21: 505 when the SIP-Version is not 2.0 (§21.5.6 "Version Not Supported"), otherwise
   * 400 Bad Request.
   */
  readonly status: 400 | 505;
}

/** The request head re-parsed leniently, or undefined when even that fails. Never throws. */
export function salvageRequest(text: string, code: ParseErrorCode): Salvaged | undefined {
  if (text.length > 65_536) return undefined;
  let end = text.indexOf('\r\n\r\n');
  if (end < 0) end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const lines = head.split(/\r?\n/).filter((line) => !/^(content-length|l)[ \t]*:/i.test(line));
  const status = code === 'bad-version' ? 505 : 400;
  if (status === 505 && lines[0] !== undefined) {
    // Read the rest of the request as if it were SIP/2.0, only to address the 505.
    lines[0] = lines[0].replace(/[ \t]+SIP\/[^ \t]+[ \t]*$/i, ' SIP/2.0');
  }
  const parsed = parseMessage(lines.join('\r\n') + '\r\n\r\n', { requireMandatoryHeaders: false });
  return parsed.ok && parsed.value.kind === 'request' ? { request: parsed.value, status } : undefined;
}
