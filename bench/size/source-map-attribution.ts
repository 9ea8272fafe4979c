/**
 * Which source module each byte of a minified bundle came from, read from the bundle's source map
 * (Source Map v3 `mappings`: Base64 VLQ segments, relative fields). Minifiers rename, fold and
 * reorder, so a module's share of the *minified* bundle cannot be read from the bundler's
 * pre-minification `renderedLength`; the map is the only exact account.
 */

/** A run of generated code [start, end) (string offsets) attributed to one source, or none. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly source: string | undefined;
}

export interface SourceMapLike {
  readonly sources: readonly (string | null)[];
  readonly mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/**
 * Decodes one segment's VLQ fields. Each Base64 digit carries 5 value bits plus a continuation
 * bit; the lowest bit of the assembled number is the sign.
 * @throws Error on a character outside the Base64 alphabet (a corrupt map is a bench bug).
 */
export function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`invalid VLQ digit ${JSON.stringify(char)}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  return values;
}

/**
 * Splits `code` into spans, each running from one mapping segment to the next (or to the end of
 * its line) and attributed to that segment's source. Text before a line's first segment, segments
 * with no source field, and the line breaks themselves are attributed to `undefined`.
 */
export function attributeSpans(code: string, map: SourceMapLike): Span[] {
  const spans: Span[] = [];
  const lines = map.mappings.split(';');
  let lineStart = 0;
  let sourceIndex = 0;
  for (let l = 0; l < lines.length && lineStart <= code.length; l++) {
    const newline = code.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? code.length : newline;
    let column = 0;
    let cursor = lineStart;
    let current: string | undefined;
    for (const segment of (lines[l] ?? '').split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      column += fields[0] ?? 0;
      const at = Math.min(lineStart + column, lineEnd);
      if (at > cursor) spans.push({ start: cursor, end: at, source: current });
      cursor = Math.max(cursor, at);
      if (fields.length >= 4) {
        sourceIndex += fields[1] ?? 0;
        current = map.sources[sourceIndex] ?? undefined;
      } else current = undefined;
    }
    if (lineEnd > cursor) spans.push({ start: cursor, end: lineEnd, source: current });
    if (newline === -1) break;
    spans.push({ start: lineEnd, end: lineEnd + 1, source: undefined });
    lineStart = lineEnd + 1;
  }
  const covered = spans.length > 0 ? (spans[spans.length - 1]?.end ?? 0) : 0;
  if (covered < code.length) spans.push({ start: covered, end: code.length, source: undefined });
  return spans;
}

/** The span containing string offset `offset` (binary search over spans in order). */
export function spanAt(spans: readonly Span[], offset: number): Span | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const span = spans[mid];
    if (span === undefined) return undefined;
    if (offset < span.start) hi = mid - 1;
    else if (offset >= span.end) lo = mid + 1;
    else return span;
  }
  return undefined;
}
