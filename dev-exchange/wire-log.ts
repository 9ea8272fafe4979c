/**
 * One log line per SIP message (STYLE.md habit 13). Only the start line, the CSeq method and the
 * Call-ID are printed: no header values, so Authorization and Proxy-Authorization can never leak.
 */
import { formatUri, isSipUri, type SipMessage } from '../src/sip/index';

/** `INVITE sip:bob@ringlet.local (call-id abc)` or `180 Ringing (INVITE, call-id abc)`. */
export function summarize(message: SipMessage): string {
  const callId = oneLine(message.headers.get('Call-ID') ?? '?');
  if (message.kind === 'request') {
    // A password in the Request-URI (sip:user:secret@host, deprecated by §19.1.1) is a credential too.
    const uri = isSipUri(message.uri) ? { ...message.uri, password: undefined } : message.uri;
    return `${message.method} ${formatUri(uri)} (call-id ${callId})`;
  }
  const method = oneLine((message.headers.get('CSeq') ?? '').trim().split(/\s+/)[1] ?? '?');
  return `${message.status} ${oneLine(message.reason)} (${method}, call-id ${callId})`;
}

/** Keeps a log entry on one line whatever bytes the peer sent. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
}
