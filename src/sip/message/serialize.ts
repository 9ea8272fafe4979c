/**
 * Wire form of a message, RFC 3261 §7: start line, header fields, empty line, body, all with CRLF.
 */
import type { SipMessage } from './sip-message';
import { formatUri } from './uri';
import { utf8ByteLength } from './utf8';

/**
 * Serialises `m`. Content-Length is always written and always computed from the UTF-8 byte length
 * of the body (§20.14: "the size of the message-body, in decimal number of octets"); a stale value
 * in the headers is replaced in place, a missing one is appended after the other fields.
 */
export function serializeMessage(m: SipMessage): string {
  let s =
    m.kind === 'request'
      ? m.method + ' ' + formatUri(m.uri) + ' SIP/2.0\r\n'
      : 'SIP/2.0 ' + m.status + ' ' + m.reason + '\r\n';
  const h = m.headers;
  const length = 'Content-Length: ' + utf8ByteLength(m.body) + '\r\n';
  let wroteLength = false;
  for (let i = 0; i < h.size; i++) {
    const name = h.nameAt(i);
    if (name === 'Content-Length') {
      // A duplicate Content-Length would contradict the one we computed: write exactly one.
      if (!wroteLength) s += length;
      wroteLength = true;
      continue;
    }
    s += name + ': ' + h.valueAt(i) + '\r\n';
  }
  if (!wroteLength) s += length;
  return s + '\r\n' + m.body;
}
