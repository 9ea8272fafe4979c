/**
 * URI parsing: SIP and SIPS URIs (RFC 3261 §19.1.1, §25.1), tel URIs (RFC 3966 §3), and any other
 * absolute URI kept verbatim. Pure and total: every input yields a {@link ParseResult}.
 */
import { fail, ok, type ParseResult } from './parse-result';
import type { OtherUri, Params, SipUri, TelUri, Uri } from '../message/types';
import { percentDecode } from '../message/utf8';
import { HNV, HOST, IPV6, PARAMCHAR, PASSWORD, TEL, USER, inClass, isDigit } from './chars';

/**
 * Parses `text` as a URI. `sip:`/`sips:` and `tel:` are parsed into their parts (scheme
 * case-insensitive); any other syntactically valid scheme gives an {@link OtherUri} holding the text.
 * Errors carry code `bad-uri` and the 1-based column within `text`.
 */
export function parseUri(text: string): ParseResult<Uri> {
  const colon = text.indexOf(':');
  if (colon <= 0) return fail('bad-uri', 'URI has no scheme', 0, 1);
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )  (RFC 3986 §3.1)
  for (let i = 0; i < colon; i++) {
    const c = text.charCodeAt(i) | 0x20;
    const alpha = c >= 97 && c <= 122;
    if (!alpha && (i === 0 || !isSchemeChar(text.charCodeAt(i)))) {
      return fail('bad-uri', 'invalid character in URI scheme', 0, i + 1);
    }
  }
  // Compare the scheme by char code: no slice, no lower-casing on the hot path.
  if (colon === 3 || colon === 4) {
    const c0 = text.charCodeAt(0) | 0x20;
    const c1 = text.charCodeAt(1) | 0x20;
    const c2 = text.charCodeAt(2) | 0x20;
    if (c0 === 115 && c1 === 105 && c2 === 112) {
      if (colon === 3) return parseSipUri(text, 4, 'sip');
      if ((text.charCodeAt(3) | 0x20) === 115) return parseSipUri(text, 5, 'sips');
    } else if (colon === 3 && c0 === 116 && c1 === 101 && c2 === 108) return parseTelUri(text, 4);
  }
  for (let i = colon + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 60 || c === 62 || c === 34) {
      return fail('bad-uri', 'invalid character in URI', 0, i + 1);
    }
  }
  if (colon + 1 === text.length) return fail('bad-uri', 'URI has nothing after the scheme', 0, colon + 2);
  const other: OtherUri = { scheme: text.slice(0, colon).toLowerCase(), raw: text };
  return ok(other);
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
 * SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ]   (§25.1)
 */
function parseSipUri(text: string, start: number, scheme: 'sip' | 'sips'): ParseResult<Uri> {
  const n = text.length;
  let i = start;
  let user: string | undefined;
  let password: string | undefined;
  // "@" appears neither in hostport, parameters nor headers unescaped, so the first one ends userinfo.
  const at = text.indexOf('@', start);
  if (at >= 0) {
    let j = start;
    while (j < at && inClass(USER, text.charCodeAt(j))) j++;
    if (j === start) return fail('bad-uri', 'empty user part', 0, j + 1);
    user = percentDecode(text.slice(start, j));
    if (j < at) {
      if (text.charCodeAt(j) !== 58 /* : */)
        return fail('bad-uri', 'invalid character in user part', 0, j + 1);
      let k = j + 1;
      while (k < at && inClass(PASSWORD, text.charCodeAt(k))) k++;
      if (k < at) return fail('bad-uri', 'invalid character in password', 0, k + 1);
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
      return fail('bad-uri', 'malformed IPv6 reference', 0, i + 1);
    }
    i++;
  } else {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 || HOST[c] !== 1) break;
      if (c >= 65 && c <= 90) upper = true;
    }
  }
  if (i === hostStart) return fail('bad-uri', 'missing host', 0, i + 1);
  // §19.1.4: hosts compare case-insensitively; we store them lower-cased.
  const host = upper ? text.slice(hostStart, i).toLowerCase() : text.slice(hostStart, i);
  let port: number | undefined;
  if (i < n && text.charCodeAt(i) === 58 /* : */) {
    i++;
    const p = i;
    let v = 0;
    while (i < n && isDigit(text.charCodeAt(i)) && i - p < 5) v = v * 10 + text.charCodeAt(i++) - 48;
    if (i === p || v > 65535 || (i < n && isDigit(text.charCodeAt(i))))
      return fail('bad-uri', 'invalid port', 0, p + 1);
    port = v;
  }
  const params: Params = {};
  const r = parseUriParams(text, i, params);
  if (r < 0) return fail('bad-uri', 'malformed URI parameter', 0, -r);
  i = r;
  const headers: Record<string, string> = {};
  if (i < n && text.charCodeAt(i) === 63 /* ? */) {
    // headers = "?" header *( "&" header ); header = hname "=" hvalue
    do {
      i++;
      const nameStart = i;
      while (i < n && inClass(HNV, text.charCodeAt(i))) i++;
      if (i === nameStart || i >= n || text.charCodeAt(i) !== 61 /* = */) {
        return fail('bad-uri', 'malformed URI header', 0, i + 1);
      }
      const name = percentDecode(text.slice(nameStart, i));
      const valueStart = ++i;
      while (i < n && inClass(HNV, text.charCodeAt(i))) i++;
      setParam(headers, name, percentDecode(text.slice(valueStart, i)));
    } while (i < n && text.charCodeAt(i) === 38 /* & */);
  }
  if (i < n) return fail('bad-uri', 'invalid character in URI', 0, i + 1);
  const uri: SipUri = { scheme, host, params, headers };
  if (user !== undefined) uri.user = user;
  if (password !== undefined) uri.password = password;
  if (port !== undefined) uri.port = port;
  return ok(uri);
}

/**
 * uri-parameters = *( ";" uri-parameter ); uri-parameter = pname [ "=" pvalue ].
 * Returns the index after the last parameter, or -(1-based column) of the error.
 */
function parseUriParams(text: string, i: number, params: Params): number {
  const n = text.length;
  while (i < n && text.charCodeAt(i) === 59 /* ; */) {
    i++;
    const nameStart = i;
    let fold = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 || PARAMCHAR[c] !== 1) break;
      if ((c >= 65 && c <= 90) || c === 37) fold = true;
    }
    if (i === nameStart) return -(i + 1);
    const raw = text.slice(nameStart, i);
    const name = fold ? percentDecode(raw).toLowerCase() : raw;
    let value: string | null = null;
    if (i < n && text.charCodeAt(i) === 61 /* = */) {
      const valueStart = ++i;
      while (i < n && inClass(PARAMCHAR, text.charCodeAt(i))) i++;
      if (i === valueStart) return -(i + 1);
      value = percentDecode(text.slice(valueStart, i));
    }
    setParam(params, name, value);
  }
  return i;
}

/** telephone-uri = "tel:" telephone-subscriber   (RFC 3966 §3) */
function parseTelUri(text: string, start: number): ParseResult<Uri> {
  const n = text.length;
  let i = start;
  while (i < n && inClass(TEL, text.charCodeAt(i))) i++;
  if (i === start) return fail('bad-uri', 'empty telephone number', 0, i + 1);
  const number = text.slice(start, i);
  const params: Params = {};
  const r = parseUriParams(text, i, params);
  if (r < 0) return fail('bad-uri', 'malformed tel parameter', 0, -r);
  if (r < n) return fail('bad-uri', 'invalid character in tel URI', 0, r + 1);
  const uri: TelUri = { scheme: 'tel', number, params };
  return ok(uri);
}
