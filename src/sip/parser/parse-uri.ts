/**
 * URI parsing: SIP and SIPS URIs (RFC 3261 §19.1.1, §25.1), tel URIs (RFC 3966 §3), and any other
 * absolute URI kept verbatim. Pure and total: every input yields a {@link ParseResult}.
 */
import { fail, ok, type ParseResult } from './parse-result';
import type { OtherUri, Params, SipUri, TelUri, Uri } from '../message/types';
import { percentDecode } from '../message/utf8';
import { HNV, HOST, IPV6, PARAMCHAR, PASSWORD, TEL, USER, inClass, isDigit } from './chars';
import { hashStep } from '../message/header-names';
import { knownParamName } from './param-names';

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
  const colon = indexOfIn(text, ':', start, end);
  if (colon <= start) return fail('bad-uri', 'URI has no scheme', 0, 1);
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )  (RFC 3986 §3.1)
  for (let i = start; i < colon; i++) {
    const c = text.charCodeAt(i) | 0x20;
    const alpha = c >= 97 && c <= 122;
    if (!alpha && (i === start || !isSchemeChar(text.charCodeAt(i)))) {
      return fail('bad-uri', 'invalid character in URI scheme', 0, i - start + 1);
    }
  }
  // Compare the scheme by char code: no slice, no lower-casing on the hot path.
  const schemeLength = colon - start;
  if (schemeLength === 3 || schemeLength === 4) {
    const c0 = text.charCodeAt(start) | 0x20;
    const c1 = text.charCodeAt(start + 1) | 0x20;
    const c2 = text.charCodeAt(start + 2) | 0x20;
    if (c0 === 115 && c1 === 105 && c2 === 112) {
      if (schemeLength === 3) return parseSipUri(text, start, colon + 1, end, 'sip');
      if ((text.charCodeAt(start + 3) | 0x20) === 115)
        return parseSipUri(text, start, colon + 1, end, 'sips');
    } else if (schemeLength === 3 && c0 === 116 && c1 === 101 && c2 === 108) {
      return parseTelUri(text, start, colon + 1, end);
    }
  }
  for (let i = colon + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 60 || c === 62 || c === 34) {
      return fail('bad-uri', 'invalid character in URI', 0, i - start + 1);
    }
  }
  if (colon + 1 === end) return fail('bad-uri', 'URI has nothing after the scheme', 0, colon - start + 2);
  const other: OtherUri = { scheme: text.slice(start, colon).toLowerCase(), raw: text.slice(start, end) };
  return ok(other);
}

/**
 * Index of `c` in `text[from, end)`, or -1. The native `indexOf` beats a `charCodeAt` loop even
 * though it may look past `end`: callers pass a header value or a start line, never a whole body.
 */
function indexOfIn(text: string, c: string, from: number, end: number): number {
  const i = text.indexOf(c, from);
  return i < end ? i : -1;
}

function isSchemeChar(c: number): boolean {
  return isDigit(c) || c === 43 || c === 45 || c === 46;
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

/** `text[from, to)`, %-decoded only when the scan saw a `%` (the slice is then the result). */
function decodedSlice(text: string, from: number, to: number, escaped: boolean): string {
  const raw = text.slice(from, to);
  return escaped ? percentDecode(raw) : raw;
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
  let i = start;
  let user: string | undefined;
  let password: string | undefined;
  // "@" appears neither in hostport, parameters nor headers unescaped, so the first one ends userinfo.
  const at = indexOfIn(text, '@', start, n);
  if (at >= 0) {
    let j = start;
    let escaped = false;
    for (; j < at; j++) {
      const c = text.charCodeAt(j);
      if (c >= 128 || USER[c] !== 1) break;
      if (c === 37 /* % */) escaped = true;
    }
    if (j === start) return fail('bad-uri', 'empty user part', 0, j - base + 1);
    user = decodedSlice(text, start, j, escaped);
    if (j < at) {
      if (text.charCodeAt(j) !== 58 /* : */)
        return fail('bad-uri', 'invalid character in user part', 0, j - base + 1);
      let k = j + 1;
      while (k < at && inClass(PASSWORD, text.charCodeAt(k))) k++;
      if (k < at) return fail('bad-uri', 'invalid character in password', 0, k - base + 1);
      password = percentDecode(text.slice(j + 1, at));
    }
    i = at + 1;
  }
  // host = hostname / IPv4address / IPv6reference
  const hostStart = i;
  let upper = false;
  if (i < n && text.charCodeAt(i) === 91 /* [ */) {
    upper = true;
    i++;
    while (i < n && inClass(IPV6, text.charCodeAt(i))) i++;
    if (i >= n || text.charCodeAt(i) !== 93 /* ] */ || i === hostStart + 1) {
      return fail('bad-uri', 'malformed IPv6 reference', 0, i - base + 1);
    }
    i++;
  } else {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 || HOST[c] !== 1) break;
      if (c >= 65 && c <= 90) upper = true;
    }
  }
  if (i === hostStart) return fail('bad-uri', 'missing host', 0, i - base + 1);
  // §19.1.4: hosts compare case-insensitively; we store them lower-cased.
  const host = upper ? text.slice(hostStart, i).toLowerCase() : text.slice(hostStart, i);
  let port: number | undefined;
  if (i < n && text.charCodeAt(i) === 58 /* : */) {
    i++;
    const p = i;
    let v = 0;
    while (i < n && isDigit(text.charCodeAt(i)) && i - p < 5) v = v * 10 + text.charCodeAt(i++) - 48;
    if (i === p || v > 65535 || (i < n && isDigit(text.charCodeAt(i))))
      return fail('bad-uri', 'invalid port', 0, p - base + 1);
    port = v;
  }
  let params: Params = emptyRecord();
  if (i < n && text.charCodeAt(i) === 59 /* ; */) {
    params = {};
    const r = parseUriParams(text, i, n, params);
    if (r < 0) return fail('bad-uri', 'malformed URI parameter', 0, -r - base);
    i = r;
  }
  let headers: Record<string, string> = emptyRecord();
  if (i < n && text.charCodeAt(i) === 63 /* ? */) {
    headers = {};
    // headers = "?" header *( "&" header ); header = hname "=" hvalue
    do {
      i++;
      const nameStart = i;
      while (i < n && inClass(HNV, text.charCodeAt(i))) i++;
      if (i === nameStart || i >= n || text.charCodeAt(i) !== 61 /* = */) {
        return fail('bad-uri', 'malformed URI header', 0, i - base + 1);
      }
      const name = percentDecode(text.slice(nameStart, i));
      const valueStart = ++i;
      while (i < n && inClass(HNV, text.charCodeAt(i))) i++;
      setParam(headers, name, percentDecode(text.slice(valueStart, i)));
    } while (i < n && text.charCodeAt(i) === 38 /* & */);
  }
  if (i < n) return fail('bad-uri', 'invalid character in URI', 0, i - base + 1);
  const uri: SipUri = { scheme, host, params, headers };
  if (user !== undefined) uri.user = user;
  if (password !== undefined) uri.password = password;
  if (port !== undefined) uri.port = port;
  return ok(uri);
}

/**
 * uri-parameters = *( ";" uri-parameter ); uri-parameter = pname [ "=" pvalue ].
 * Reads `text[i, n)`. Returns the index after the last parameter, or -(0-based index + 1) of the
 * error.
 */
function parseUriParams(text: string, i: number, n: number, params: Params): number {
  while (i < n && text.charCodeAt(i) === 59 /* ; */) {
    i++;
    const nameStart = i;
    let fold = false;
    let escaped = false;
    let hash = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 || PARAMCHAR[c] !== 1) break;
      if (c >= 65 && c <= 90) fold = true;
      else if (c === 37) escaped = true;
      hash = hashStep(hash, c);
    }
    if (i === nameStart) return -(i + 1);
    // A well-known name (`transport`, `lr`, `ob` …) is the shared literal: see param-names.ts.
    let name = escaped ? undefined : knownParamName(text, nameStart, i, hash);
    if (name === undefined) {
      const raw = text.slice(nameStart, i);
      name = escaped ? percentDecode(raw).toLowerCase() : fold ? raw.toLowerCase() : raw;
    }
    let value: string | null = null;
    if (i < n && text.charCodeAt(i) === 61 /* = */) {
      const valueStart = ++i;
      escaped = false;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c >= 128 || PARAMCHAR[c] !== 1) break;
        if (c === 37) escaped = true;
      }
      if (i === valueStart) return -(i + 1);
      value = decodedSlice(text, valueStart, i, escaped);
    }
    setParam(params, name, value);
  }
  return i;
}

/** telephone-uri = "tel:" telephone-subscriber   (RFC 3966 §3) */
function parseTelUri(text: string, base: number, start: number, n: number): ParseResult<Uri> {
  let i = start;
  while (i < n && inClass(TEL, text.charCodeAt(i))) i++;
  if (i === start) return fail('bad-uri', 'empty telephone number', 0, i - base + 1);
  const number = text.slice(start, i);
  const params: Params = {};
  const r = parseUriParams(text, i, n, params);
  if (r < 0) return fail('bad-uri', 'malformed tel parameter', 0, -r - base);
  if (r < n) return fail('bad-uri', 'invalid character in tel URI', 0, r - base + 1);
  const uri: TelUri = { scheme: 'tel', number, params };
  return ok(uri);
}
