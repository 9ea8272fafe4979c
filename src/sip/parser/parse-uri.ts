/**
 * URI parsing: SIP and SIPS URIs (RFC 3261 §19.1.1, §25.1), tel URIs (RFC 3966 §3), and any other
 * absolute URI kept verbatim. Pure and total: every input yields a {@link ParseResult}.
 */
import { fail, ok, type ParseResult } from './parse-result';
import type { OtherUri, Params, SipUri, TelUri, Uri } from '../message/types';
import { percentDecode } from '../message/utf8';
import { HNV, HOST, IPV6, PARAMCHAR, PASSWORD, TEL, USER, skipClass, skipDigits } from './chars';

const INVALID = 'invalid character in URI';
const BAD_PARAM = 'malformed URI parameter';

/** A `bad-uri` failure at index `at`, its column counted from `base`, where the URI starts. */
function badUri(message: string, at: number, base: number): ParseResult<never> {
  return fail('bad-uri', message, 0, at - base + 1);
}

/**
 * Parses `text` as a URI. `sip:`/`sips:` and `tel:` are parsed into their parts (scheme
 * case-insensitive); any other syntactically valid scheme gives an {@link OtherUri} holding the text.
 * Errors carry code `bad-uri` and the 1-based column within `text`.
 */
export function parseUri(text: string): ParseResult<Uri> {
  return parseUriAt(text, 0, text.length);
}

/**
 * {@link parseUri} over `text[start, end)`, in place: header parsers read the URI inside a
 * name-addr without slicing it out first. Error columns are 1-based within that range.
 */
export function parseUriAt(text: string, start: number, end: number): ParseResult<Uri> {
  const bad = (message: string, at: number) => badUri(message, at, start);
  const colon = indexOfIn(text, ':', start, end);
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )  (RFC 3986 §3.1)
  if (colon <= start) return bad('URI has no scheme', start);
  const scheme = text.slice(start, colon).toLowerCase();
  const invalid = scheme.search(/[^a-z\d+.-]|^[^a-z]/);
  if (invalid >= 0) return bad(INVALID, start + invalid);
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(text, start, colon + 1, end, scheme);
  if (scheme === 'tel') return parseTelUri(text, start, colon + 1, end);
  if (colon + 1 === end) return bad('URI has nothing after the scheme', end);
  const other = text.slice(start, end);
  // Anything but controls, SP, DQUOTE, "<", ">" and DEL: what ends a URI in a header or start line.
  const invalidChar = other.search(/[^!#-;=?-~\x80-\uffff]/);
  if (invalidChar >= 0) return bad(INVALID, start + invalidChar);
  const uri: OtherUri = { scheme, raw: other };
  return ok(uri);
}

/**
 * Index of `c` in `text[from, end)`, or -1. The native `indexOf` beats a `charCodeAt` loop even
 * though it may look past `end`: callers pass a header value or a start line, never a whole body.
 */
function indexOfIn(text: string, c: string, from: number, end: number): number {
  const i = text.indexOf(c, from);
  return i < end ? i : -1;
}

/**
 * Sets a parameter (the last of duplicates wins) without ever touching the object's prototype: a
 * parameter literally named `__proto__` becomes an own property like any other.
 */
export function setParam<V>(params: Record<string, V>, name: string, value: V): void {
  if (name === '__proto__') {
    Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
  } else params[name] = value;
}

/**
 * The shared, frozen value of an absent parameter list or URI-header list. Most URIs in a message
 * carry no `?headers` and many (From, To, Route entries) no `;params`; sharing one empty object
 * saves up to three allocations per name-addr. Parsed values are read-only by contract
 * (contract.md: "do not mutate them"); freezing makes a stray write fail loudly instead of
 * corrupting every other URI.
 */
const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/**
 * {@link EMPTY} typed as the mutable record the value types declare. Internal: header parsers use
 * it for an absent header-parameter list.
 */
export function emptyRecord<V>(): Record<string, V> {
  return EMPTY as Record<string, V>;
}

/**
 * End of the host at `i` (host = hostname / IPv4address / IPv6reference, §25.1), or `i` when there
 * is none. Shared by SIP URIs and Via sent-by.
 */
export function hostEnd(text: string, i: number, end: number): number {
  if (text.charCodeAt(i) !== 91 /* [ */) return skipClass(HOST, text, i, end);
  const close = skipClass(IPV6, text, i + 1, end);
  return close > i + 1 && close < end && text.charCodeAt(close) === 93 /* ] */ ? close + 1 : i;
}

/**
 * SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ]   (§25.1)
 *
 * `base` is where the URI starts (columns in errors count from it), `start` is after the scheme's
 * colon, `n` is where the URI ends.
 */
function parseSipUri(
  text: string,
  base: number,
  start: number,
  n: number,
  scheme: 'sip' | 'sips',
): ParseResult<Uri> {
  const bad = (message: string, at: number) => badUri(message, at, base);
  const uri: SipUri = { scheme, host: '', params: emptyRecord(), headers: emptyRecord() };
  let i = start;
  // "@" appears neither in hostport, parameters nor headers unescaped, so the first one ends userinfo.
  const at = indexOfIn(text, '@', start, n);
  if (at >= 0) {
    const userEnd = skipClass(USER, text, start, at);
    if (userEnd === start) return bad('empty user part', start);
    uri.user = percentDecode(text.slice(start, userEnd));
    if (userEnd < at) {
      if (text.charCodeAt(userEnd) !== 58 /* : */) return bad(INVALID, userEnd);
      const passwordEnd = skipClass(PASSWORD, text, userEnd + 1, at);
      if (passwordEnd < at) return bad(INVALID, passwordEnd);
      uri.password = percentDecode(text.slice(userEnd + 1, at));
    }
    i = at + 1;
  }
  const e = hostEnd(text, i, n);
  if (e === i) return bad(text.charCodeAt(i) === 91 ? 'malformed IPv6 reference' : 'missing host', i);
  // §19.1.4: hosts compare case-insensitively; we store them lower-cased.
  uri.host = text.slice(i, e).toLowerCase();
  i = e;
  if (text.charCodeAt(i) === 58 /* : */ && i < n) {
    const p = ++i;
    i = skipDigits(text, i, n);
    const port = Number(text.slice(p, i));
    if (i === p || i - p > 5 || port > 65535) return bad('invalid port', p);
    uri.port = port;
  }
  if (text.charCodeAt(i) === 59 /* ; */ && i < n) {
    uri.params = {};
    const r = parseUriParams(text, i, n, uri.params);
    if (r < 0) return bad(BAD_PARAM, -r - 1);
    i = r;
  }
  if (text.charCodeAt(i) === 63 /* ? */ && i < n) {
    const headers: Record<string, string> = (uri.headers = {});
    // headers = "?" header *( "&" header ); header = hname "=" hvalue
    do {
      const nameStart = ++i;
      i = skipClass(HNV, text, i, n);
      if (i === nameStart || text.charCodeAt(i) !== 61 /* = */ || i >= n)
        return bad('malformed URI header', i);
      const valueStart = ++i;
      i = skipClass(HNV, text, i, n);
      setParam(
        headers,
        percentDecode(text.slice(nameStart, valueStart - 1)),
        percentDecode(text.slice(valueStart, i)),
      );
    } while (text.charCodeAt(i) === 38 /* & */ && i < n);
  }
  if (i < n) return bad(INVALID, i);
  return ok(uri);
}

/**
 * uri-parameters = *( ";" uri-parameter ); uri-parameter = pname [ "=" pvalue ].
 * Reads `text[i, n)`. Returns the index after the last parameter, or -(index + 1) of the error.
 */
function parseUriParams(text: string, i: number, n: number, params: Params): number {
  while (text.charCodeAt(i) === 59 /* ; */ && i < n) {
    const nameStart = ++i;
    i = skipClass(PARAMCHAR, text, i, n);
    if (i === nameStart) return -(i + 1);
    const name = percentDecode(text.slice(nameStart, i)).toLowerCase();
    let value: string | null = null;
    if (text.charCodeAt(i) === 61 /* = */ && i < n) {
      const valueStart = ++i;
      i = skipClass(PARAMCHAR, text, i, n);
      if (i === valueStart) return -(i + 1);
      value = percentDecode(text.slice(valueStart, i));
    }
    setParam(params, name, value);
  }
  return i;
}

/** telephone-uri = "tel:" telephone-subscriber   (RFC 3966 §3) */
function parseTelUri(text: string, base: number, start: number, n: number): ParseResult<Uri> {
  const bad = (message: string, at: number) => badUri(message, at, base);
  const i = skipClass(TEL, text, start, n);
  if (i === start) return bad('empty telephone number', i);
  const params: Params = {};
  const r = parseUriParams(text, i, n, params);
  if (r < 0) return bad(BAD_PARAM, -r - 1);
  if (r < n) return bad(INVALID, r);
  const uri: TelUri = { scheme: 'tel', number: text.slice(start, i), params };
  return ok(uri);
}
