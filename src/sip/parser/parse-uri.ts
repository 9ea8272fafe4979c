/**
 * URI parsing: SIP and SIPS URIs (RFC 3261 §19.1.1, §25.1), and any other absolute URI kept
 * verbatim (tel: URIs included: `message/tel-uri.ts` parses them, for the applications that want
 * their parts). Pure and total: every input yields a {@link ParseResult}.
 */
import { fail, ok, type ParseResult } from './parse-result';
import type { OtherUri, Params, SipUri, Uri } from '../message/types';
import { percentDecode } from '../message/utf8';
import { HNV, HOST, IPV6, PARAMCHAR, USERINFO, nameCache, skipClass, skipDigits } from './chars';

/** A `bad-uri` failure at index `at`, its column counted from `base`, where the URI starts. */
export function badUri(at: number, base: number): ParseResult<never> {
  return fail('bad-uri', 0, at - base + 1);
}

/**
 * Parses `text` as a URI. `sip:`/`sips:` are parsed into their parts (scheme case-insensitive);
 * any other syntactically valid scheme gives an {@link OtherUri} holding the text. Errors carry
 * code `bad-uri` and the 1-based column within `text`.
 */
export function parseUri(text: string): ParseResult<Uri> {
  return parseUriAt(text, 0, text.length);
}

/**
 * {@link parseUri} over `text[start, end)`, in place: header parsers read the URI inside a
 * name-addr without slicing it out first. Error columns are 1-based within that range.
 */
export function parseUriAt(text: string, start: number, end: number): ParseResult<Uri> {
  const colon = indexOfIn(text, ':', start, end);
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )  (RFC 3986 §3.1)
  if (colon <= start) return badUri(start, start);
  const scheme = text.slice(start, colon).toLowerCase();
  const invalid = scheme.search(/[^a-z\d+.-]|^[^a-z]/);
  if (invalid >= 0) return badUri(start + invalid, start);
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(text, start, colon + 1, end, scheme);
  if (colon + 1 === end) return badUri(end, start);
  const other = text.slice(start, end);
  // Anything but controls, SP, DQUOTE, "<", ">" and DEL: what ends a URI in a header or start line.
  const invalidChar = other.search(/[^!#-;=?-~\x80-\uffff]/);
  if (invalidChar >= 0) return badUri(start + invalidChar, start);
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
  const uri: SipUri = { scheme, host: '', params: {}, headers: {} };
  let i = start;
  // "@" appears neither in hostport, parameters nor headers unescaped, so the first one ends userinfo.
  const at = indexOfIn(text, '@', start, n);
  if (at >= 0) {
    // userinfo = user [ ":" password ], held whole: §19.1.4 compares it whole, and a password in a
    // URI is "NOT RECOMMENDED" (§19.1.1), so nothing reads one on its own.
    // user = 1*( … ): not empty, so the userinfo neither is nor starts with the ":" of a password.
    if (at === start || text.charCodeAt(start) === 58 /* : */) return badUri(start, base);
    const userEnd = skipClass(USERINFO, text, start, at);
    if (userEnd < at) return badUri(userEnd, base);
    uri.user = text.slice(start, at);
    i = at + 1;
  }
  const e = hostEnd(text, i, n);
  if (e === i) return badUri(i, base); // no host, or a malformed IPv6 reference
  // §19.1.4: hosts compare case-insensitively; we store them lower-cased.
  uri.host = text.slice(i, e).toLowerCase();
  i = e;
  if (text.charCodeAt(i) === 58 /* : */ && i < n) {
    const p = ++i;
    i = skipDigits(text, i, n);
    const port = Number(text.slice(p, i));
    if (i === p || i - p > 5 || port > 65535) return badUri(p, base);
    uri.port = port;
  }
  if (text.charCodeAt(i) === 59 /* ; */ && i < n) {
    const r = parseUriParams(text, i, n, uri.params);
    if (r < 0) return badUri(-r - 1, base);
    i = r;
  }
  if (text.charCodeAt(i) === 63 /* ? */ && i < n) {
    // headers = "?" header *( "&" header ); header = hname "=" hvalue
    do {
      const nameStart = ++i;
      i = skipClass(HNV, text, i, n);
      if (i === nameStart || text.charCodeAt(i) !== 61 /* = */ || i >= n) return badUri(i, base);
      const valueStart = ++i;
      i = skipClass(HNV, text, i, n);
      setParam(uri.headers, text.slice(nameStart, valueStart - 1), text.slice(valueStart, i));
    } while (text.charCodeAt(i) === 38 /* & */ && i < n);
  }
  if (i < n) return badUri(i, base);
  return ok(uri);
}

/**
 * A URI parameter name, lower-cased. Names are looked up (`lr`, `transport`), so an escaped one
 * (`;%6C%72`, RFC 4475 esc01) is resolved when that gives plain text (§19.1.4: such escapes equal
 * their characters), which formats back unescaped as well. Values stay as written.
 */
const uriParamNameAt = /* @__PURE__ */ nameCache((raw) => {
  const decoded = percentDecode(raw);
  return (skipClass(HOST, decoded, 0) === decoded.length ? decoded : raw).toLowerCase();
});

/**
 * uri-parameters = *( ";" uri-parameter ); uri-parameter = pname [ "=" pvalue ]. Names lower-cased.
 * Reads `text[i, n)`. Returns the index after the last parameter, or -(index + 1) of the error.
 */
export function parseUriParams(text: string, i: number, n: number, params: Params): number {
  while (text.charCodeAt(i) === 59 /* ; */ && i < n) {
    const nameStart = ++i;
    i = skipClass(PARAMCHAR, text, i, n);
    if (i === nameStart) return -(i + 1);
    const name = uriParamNameAt(text, nameStart, i);
    let value: string | null = null;
    if (text.charCodeAt(i) === 61 /* = */ && i < n) {
      const valueStart = ++i;
      i = skipClass(PARAMCHAR, text, i, n);
      if (i === valueStart) return -(i + 1);
      value = text.slice(valueStart, i);
    }
    setParam(params, name, value);
  }
  return i;
}
