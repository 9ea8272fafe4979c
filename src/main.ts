/**
 * Standalone app entry. The React softphone arrives with the UI issue; until then the page
 * proves the SIP message layer runs in the browser by parsing a sample message.
 */
import { parseMessage } from './sip/index';

const sample =
  'OPTIONS sip:ringlet@example.invalid SIP/2.0\r\nVia: SIP/2.0/WS abc.invalid;branch=z9hG4bK1\r\n' +
  'From: <sip:probe@example.invalid>;tag=1\r\nTo: <sip:ringlet@example.invalid>\r\nCall-ID: 1\r\n' +
  'CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n';

const root = document.getElementById('root');
if (root) {
  const heading = document.createElement('h1');
  heading.textContent = 'Ringlet';
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  const result = parseMessage(sample);
  status.textContent = result.ok
    ? `SIP core loaded: parsed a ${result.value.kind === 'request' ? result.value.method : 'response'} message.`
    : `SIP core failed to parse the sample: ${result.error.message}`;
  root.append(heading, status);
}
