/**
 * Header field names, RFC 3261 §7.3.1 and §7.3.3 (compact forms).
 *
 * Field names are case-insensitive (§7.3.1). Every name gets one canonical spelling, so the rest of
 * the core compares names with `===`. The spelling comes from a rule rather than a table of every
 * registered header: compact forms are expanded, then each dash-separated word is capitalised
 * (`max-forwards` → `Max-Forwards`, `x-my-header` → `X-My-Header`), except the words that the
 * names we send spell otherwise (`Call-ID`, `CSeq`, `WWW-Authenticate`, `RAck`, `RSeq`, `Min-SE`).
 * Names compare case-insensitively on the wire (§7.3.1), so a name we only receive may come out
 * differently from its RFC spelling (`Mime-Version`, `Sip-Etag`) and still mean the same header.
 */
import { nameCache } from '../parser/chars';

/**
 * §7.3.3 compact forms, with those of RFC 3265/6665 (o, u), 3515 (r), 3892 (b) and 4028 (x): the
 * headers this code base reads. Other compact forms (RFC 3841's a, j, d; RFC 4474's y, n) stay as
 * they came, a one-letter name that is still the right name on the wire when a message is relayed.
 */
const COMPACT: Readonly<Record<string, string>> = {
  b: 'Referred-By',
  c: 'Content-Type',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
};

/** The words of the names we send that are not spelled capitalised: Call-ID, CSeq, RAck, …. */
const WORDS: ReadonlyMap<string, string> = new Map(
  ['ID', 'SE', 'WWW', 'CSeq', 'RSeq', 'RAck'].map((w) => [w.toLowerCase(), w]),
);

/**
 * The canonical spelling of a header name: compact forms expanded (§7.3.3), each word capitalised
 * (`call-id` → `Call-ID`, `X-FOO` → `X-Foo`). Two spellings of one header always give the same string.
 */
export function canonicalHeaderName(name: string): string {
  return headerNameAt(name, 0, name.length);
}

/**
 * {@link canonicalHeaderName} of `text[start, end)`, memoised.
 * @internal The parser's per-field lookup.
 */
export const headerNameAt = /* @__PURE__ */ nameCache((name) => {
  const lower = name.toLowerCase();
  return (
    (lower.length === 1 ? COMPACT[lower] : undefined) ??
    lower
      .split('-')
      .map((w) => WORDS.get(w) ?? w.charAt(0).toUpperCase() + w.slice(1))
      .join('-')
  );
});
