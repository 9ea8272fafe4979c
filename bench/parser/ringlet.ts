/**
 * Ringlet adapter: `parseMessage(text)` from src/sip/parser/parse-message.ts, and in `full` mode the
 * typed accessors of src/sip/message/headers.ts (each returns a ParseResult and caches per message)
 * over every UA-read header.
 */
import { parseMessage } from '../../src/sip/parser/parse-message';
import {
  getAllow,
  getAuthValues,
  getCSeq,
  getCallId,
  getContact,
  getContentLength,
  getContentType,
  getEvent,
  getExpires,
  getFrom,
  getMaxForwards,
  getRecordRoutes,
  getRequire,
  getRoutes,
  getSessionExpires,
  getSubscriptionState,
  getSupported,
  getTo,
  getVias,
} from '../../src/sip/message/headers';
import type { SipMessage } from '../../src/sip/message/sip-message';
import type { ParseResult } from '../../src/sip/parser/parse-result';
import {
  AdapterCheckError,
  UA_READ_HEADERS,
  type ParserAdapter,
  type Probe,
  type UaReadHeader,
} from './adapter';
import { presentUaHeaders } from './line-splitter';

type Accessor = (m: SipMessage) => ParseResult<unknown>;

/** One accessor per UA-read header; the order follows UA_READ_HEADERS. */
const ACCESSORS: Readonly<Record<UaReadHeader, Accessor>> = {
  Via: getVias,
  From: getFrom,
  To: getTo,
  'Call-ID': getCallId,
  CSeq: getCSeq,
  Contact: getContact,
  Route: getRoutes,
  'Record-Route': getRecordRoutes,
  'Max-Forwards': getMaxForwards,
  'Content-Type': getContentType,
  'Content-Length': getContentLength,
  Expires: getExpires,
  'WWW-Authenticate': (m) => getAuthValues(m, 'WWW-Authenticate'),
  'Proxy-Authenticate': (m) => getAuthValues(m, 'Proxy-Authenticate'),
  Supported: getSupported,
  Require: getRequire,
  Allow: getAllow,
  'Session-Expires': getSessionExpires,
  Event: getEvent,
  'Subscription-State': getSubscriptionState,
};

const ACCESSOR_LIST: readonly Accessor[] = UA_READ_HEADERS.map((name) => ACCESSORS[name]);

function parseHeadersOnly(text: string): SipMessage | undefined {
  const result = parseMessage(text);
  return result.ok ? result.value : undefined;
}

/** Returns the number of accessors that succeeded, or -1 on any failure. */
function parseFull(text: string): number {
  const result = parseMessage(text);
  if (!result.ok) return -1;
  const message = result.value;
  let good = 0;
  for (let i = 0; i < ACCESSOR_LIST.length; i++) {
    if (!ACCESSOR_LIST[i]!(message).ok) return -1;
    good++;
  }
  return good;
}

function probe(full: boolean, text: string): Probe {
  const result = parseMessage(text);
  if (!result.ok) throw new AdapterCheckError(`Ringlet rejected the message: ${result.error.message}`);
  const message = result.value;
  if (full) {
    for (const name of presentUaHeaders(text, UA_READ_HEADERS)) {
      const header = UA_READ_HEADERS.find((h) => h === name);
      if (header === undefined) continue;
      const r = ACCESSORS[header](message);
      if (!r.ok) throw new AdapterCheckError(`Ringlet failed to parse ${name}: ${r.error.message}`);
    }
  }
  const callId = getCallId(message);
  const cseq = getCSeq(message);
  return {
    callId: callId.ok ? callId.value : '',
    cseq: cseq.ok ? cseq.value.seq : NaN,
    cseqMethod: cseq.ok ? cseq.value.method : '',
    unread: [],
  };
}

export const ringletHeaders: ParserAdapter = {
  implementation: 'Ringlet',
  mode: 'headers',
  parse: parseHeadersOnly,
  probe: (text) => probe(false, text),
};

export const ringletFull: ParserAdapter = {
  implementation: 'Ringlet',
  mode: 'full',
  parse: parseFull,
  probe: (text) => probe(true, text),
};
