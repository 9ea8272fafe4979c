/**
 * The floor: split the start line, split each header line at its first colon into a name/value
 * pair, slice the body. No grammar, no folding, no validation: whatever a real parser costs above
 * this is the price of understanding SIP.
 */
import { benchCanonicalName, type ParserAdapter, type Probe } from './adapter';

export interface SplitMessage {
  readonly startLine: string;
  /** Flat [name0, value0, name1, value1, …]: one array instead of one object per header. */
  readonly headers: string[];
  readonly body: string;
}

export function splitLines(text: string): SplitMessage {
  let lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) return { startLine: text, headers: [], body: '' };
  const startLine = text.slice(0, lineEnd);
  const headers: string[] = [];
  let pos = lineEnd + 2;
  for (;;) {
    lineEnd = text.indexOf('\r\n', pos);
    if (lineEnd < 0 || lineEnd === pos) break;
    const colon = text.indexOf(':', pos);
    if (colon > 0 && colon < lineEnd) {
      let valueStart = colon + 1;
      while (text.charCodeAt(valueStart) === 32) valueStart++;
      headers.push(text.slice(pos, colon), text.slice(valueStart, lineEnd));
    }
    pos = lineEnd + 2;
  }
  return { startLine, headers, body: lineEnd < 0 ? '' : text.slice(lineEnd + 2) };
}

function probe(text: string): Probe {
  const { headers } = splitLines(text);
  let callId = '';
  let cseq = '';
  for (let i = 0; i < headers.length; i += 2) {
    const name = benchCanonicalName(headers[i] ?? '');
    if (name === 'Call-ID') callId = headers[i + 1] ?? '';
    if (name === 'CSeq') cseq = headers[i + 1] ?? '';
  }
  const [seq = '', method = ''] = cseq.split(' ');
  return { callId, cseq: Number(seq), cseqMethod: method, unread: [] };
}

export const lineSplitter: ParserAdapter = {
  implementation: 'line splitter',
  mode: 'floor',
  parse: splitLines,
  probe,
};

/** The UA-read headers a message carries, by canonical name, with their field count. */
export function presentUaHeaders(text: string, wanted: readonly string[]): string[] {
  const { headers } = splitLines(text);
  const present = new Set<string>();
  for (let i = 0; i < headers.length; i += 2) {
    const name = benchCanonicalName(headers[i] ?? '');
    if (wanted.includes(name)) present.add(name);
  }
  return [...present];
}
