/**
 * JsSIP adapter: `parseMessage(data, ua)` from jssip/lib/Parser (CommonJS, untyped, so it is loaded
 * through createRequire and given a narrow local type), and in `full` mode its
 * `parseHeader(name, idx)` accessor over every UA-read header field.
 *
 * The `ua` argument is only stored on incoming requests by the parser; an empty object suffices.
 * JsSIP has no grammar rule for Allow, so `full` splits it at commas as an application would.
 */
import { createRequire } from 'node:module';
import {
  AdapterCheckError,
  UA_READ_HEADERS,
  type ParseMode,
  type ParserAdapter,
  type Probe,
  type UaReadHeader,
} from './adapter';
import { presentUaHeaders } from './line-splitter';

interface JsSipMessage {
  call_id: string;
  getHeaders(name: string): string[];
  parseHeader(name: string, idx?: number): unknown;
}

interface JsSipParser {
  parseMessage(data: string, ua: object): JsSipMessage | undefined;
}

const require = createRequire(import.meta.url);
const jssipParser = require('jssip/lib/Parser') as JsSipParser;
const fakeUa = {};

function forceHeader(message: JsSipMessage, name: UaReadHeader): number {
  const fields = message.getHeaders(name);
  let values = 0;
  for (let i = 0; i < fields.length; i++) {
    if (name === 'Allow') {
      values += (fields[i] ?? '').split(',').map((m) => m.trim()).length;
    } else {
      if (message.parseHeader(name, i) === undefined) return -1;
      values++;
    }
  }
  return values;
}

function parseHeadersOnly(text: string): JsSipMessage | undefined {
  return jssipParser.parseMessage(text, fakeUa);
}

function parseFull(text: string): number {
  const message = jssipParser.parseMessage(text, fakeUa);
  if (message === undefined) return -1;
  let values = 0;
  for (const name of UA_READ_HEADERS) values += forceHeader(message, name);
  return values;
}

function probe(mode: ParseMode, text: string): Probe {
  const message = jssipParser.parseMessage(text, fakeUa);
  if (message === undefined) throw new AdapterCheckError('JsSIP rejected the message');
  const unread: string[] = [];
  if (mode === 'full') {
    for (const name of presentUaHeaders(text, UA_READ_HEADERS)) {
      const header = UA_READ_HEADERS.find((h) => h === name);
      if (header === undefined) continue;
      const got = forceHeader(message, header);
      if (got < 0) throw new AdapterCheckError(`JsSIP failed to parse ${name}`);
      if (got === 0) unread.push(name);
    }
  }
  const cseq = message.parseHeader('CSeq') as { value: number; method: string } | undefined;
  return { callId: message.call_id, cseq: cseq?.value ?? NaN, cseqMethod: cseq?.method ?? '', unread };
}

export const jsSipHeaders: ParserAdapter = {
  implementation: 'JsSIP',
  mode: 'headers',
  parse: parseHeadersOnly,
  probe: (text) => probe('headers', text),
};

export const jsSipFull: ParserAdapter = {
  implementation: 'JsSIP',
  mode: 'full',
  parse: parseFull,
  probe: (text) => probe('full', text),
};
