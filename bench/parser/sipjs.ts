/**
 * SIP.js adapter: `Parser.parseMessage(data, logger)` from sip.js/lib/core, and in `full` mode its
 * `parseHeader(name, idx)` accessor (PEG grammar, cached per field) over every UA-read header field.
 *
 * Where SIP.js has no grammar rule for a UA-read header, `full` does what SIP.js itself does with
 * that header: Route is parsed with the Record_Route rule (identical ABNF: name-addr *(;param)),
 * Expires with Number(), Allow split at commas.
 */
import { Grammar, Parser, type Logger } from 'sip.js/lib/core/index.js';
import {
  AdapterCheckError,
  UA_READ_HEADERS,
  type ParseMode,
  type ParserAdapter,
  type Probe,
  type UaReadHeader,
} from './adapter';
import { presentUaHeaders } from './line-splitter';

type SipJsMessage = NonNullable<ReturnType<typeof Parser.parseMessage>>;

const silentLogger = {
  error: () => undefined,
  warn: () => undefined,
  log: () => undefined,
  debug: () => undefined,
} as unknown as Logger;

const GRAMMAR_RULE: Partial<Record<UaReadHeader, string>> = {
  Route: 'Record_Route',
};

/** Returns how many values were produced, or -1 if a present field failed to parse. */
function forceHeader(message: SipJsMessage, name: UaReadHeader): number {
  const fields: string[] = message.getHeaders(name);
  let values = 0;
  for (let i = 0; i < fields.length; i++) {
    const rule = GRAMMAR_RULE[name];
    if (rule !== undefined) {
      if (Grammar.parse(fields[i] ?? '', rule) === -1) return -1;
      values++;
    } else if (name === 'Expires') {
      if (Number.isNaN(Number(fields[i]))) return -1;
      values++;
    } else if (name === 'Allow') {
      values += (fields[i] ?? '').split(',').map((m) => m.trim()).length;
    } else {
      if (message.parseHeader(name, i) === undefined) return -1;
      values++;
    }
  }
  return values;
}

function parseHeadersOnly(text: string): SipJsMessage | undefined {
  return Parser.parseMessage(text, silentLogger);
}

function parseFull(text: string): number {
  const message = Parser.parseMessage(text, silentLogger);
  if (message === undefined) return -1;
  let values = 0;
  for (const name of UA_READ_HEADERS) values += forceHeader(message, name);
  return values;
}

function probe(mode: ParseMode, text: string): Probe {
  const message = Parser.parseMessage(text, silentLogger);
  if (message === undefined) throw new AdapterCheckError('SIP.js rejected the message');
  const unread: string[] = [];
  if (mode === 'full') {
    for (const name of presentUaHeaders(text, UA_READ_HEADERS)) {
      const header = UA_READ_HEADERS.find((h) => h === name);
      if (header === undefined) continue;
      const got = forceHeader(message, header);
      if (got < 0) throw new AdapterCheckError(`SIP.js failed to parse ${name}`);
      if (got === 0) unread.push(name);
    }
  }
  const cseq = message.parseHeader('CSeq') as { value: number; method: string } | undefined;
  return { callId: message.callId, cseq: cseq?.value ?? NaN, cseqMethod: cseq?.method ?? '', unread };
}

export const sipJsHeaders: ParserAdapter = {
  implementation: 'SIP.js',
  mode: 'headers',
  parse: parseHeadersOnly,
  probe: (text) => probe('headers', text),
};

export const sipJsFull: ParserAdapter = {
  implementation: 'SIP.js',
  mode: 'full',
  parse: parseFull,
  probe: (text) => probe('full', text),
};
