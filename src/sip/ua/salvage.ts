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
  const head = text
    .split(/\r?\n\r?\n/, 1)[0]!
    // Without Content-Length: the body is often what disagreed with it.
    .replace(/\r?\n(?:content-length|l)[ \t]*:[^\r\n]*/gi, '')
    // Another version is read as if it were SIP/2.0, only to address the 505.
    .replace(/[ \t]+SIP\/\S+[ \t]*(?=\r?\n)/i, ' SIP/2.0');
  const parsed = parseMessage(head + '\r\n\r\n', { requireMandatoryHeaders: false });
  return parsed.ok && parsed.value.kind === 'request'
    ? { request: parsed.value, status: code === 'bad-version' ? 505 : 400 }
    : undefined;
}
