/**
 * URIs of the message model: SIP/SIPS (RFC 3261 §19.1), tel (RFC 3966) and other schemes kept
 * verbatim. Parsing lives in `parser/parse-uri.ts`; this module formats and compares.
 */
import { HNV, PARAMCHAR, PASSWORD, USER } from '../parser/chars';
import type { Params, SipUri, TelUri, Uri } from './types';
import { percentEncode } from './utf8';

export { parseUri } from '../parser/parse-uri';

/** Narrows a {@link Uri} to a SIP or SIPS URI. */
export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

/** Narrows a {@link Uri} to a tel URI. */
export function isTelUri(uri: Uri): uri is TelUri {
  return uri.scheme === 'tel';
}

// `;` `?` `/` are legal in a user part but we escape them so the output never looks ambiguous.
const USER_OUT = withoutChars(USER, ';?/');
// "&" and "=" separate URI headers, so they must be escaped inside a header name or value.
const HNV_OUT = withoutChars(HNV, '&=');
const PARAM_OUT = withoutChars(PARAMCHAR, ';=?&');

function withoutChars(t: Uint8Array, chars: string): Uint8Array {
  const copy = t.slice();
  for (let i = 0; i < chars.length; i++) copy[chars.charCodeAt(i)] = 0;
  return copy;
}

/** Serialises a URI (§25.1 SIP-URI, RFC 3966 telephone-uri); other schemes are written verbatim. */
export function formatUri(uri: Uri): string {
  if (isSipUri(uri)) {
    let s = uri.scheme + ':';
    if (uri.user !== undefined) {
      s += percentEncode(uri.user, USER_OUT);
      if (uri.password !== undefined) s += ':' + percentEncode(uri.password, PASSWORD);
      s += '@';
    }
    s += uri.host;
    if (uri.port !== undefined) s += ':' + uri.port;
    s += formatUriParams(uri.params);
    let sep = '?';
    for (const name of Object.keys(uri.headers)) {
      s += sep + percentEncode(name, HNV_OUT) + '=' + percentEncode(uri.headers[name] ?? '', HNV_OUT);
      sep = '&';
    }
    return s;
  }
  if (isTelUri(uri)) return 'tel:' + uri.number + formatUriParams(uri.params);
  return (uri as { raw: string }).raw;
}

function formatUriParams(params: Params): string {
  let s = '';
  for (const name of Object.keys(params)) {
    const v = params[name];
    s += ';' + percentEncode(name, PARAM_OUT);
    if (v !== null && v !== undefined) s += '=' + percentEncode(v, PARAM_OUT);
  }
  return s;
}

/** Parameters that must match when present in either URI (§19.1.4). */
const STRICT_PARAMS = ['user', 'ttl', 'method', 'maddr', 'transport'];

/**
 * URI equality, RFC 3261 §19.1.4 for SIP/SIPS, RFC 3966 §4 for tel, exact text otherwise.
 * Not an equivalence relation (§19.1.4 notes it is not transitive).
 */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (isSipUri(a) || isSipUri(b)) {
    // "A SIP and SIPS URI are never equivalent."
    if (!isSipUri(a) || !isSipUri(b) || a.scheme !== b.scheme) return false;
    // "Comparison of the userinfo of SIP and SIPS URIs is case-sensitive." (escapes already resolved)
    if (a.user !== b.user || a.password !== b.password) return false;
    if (a.host !== b.host) return false;
    // "A URI omitting any component with a default value will not match a URI explicitly
    // containing that component with its default value."
    if (a.port !== b.port) return false;
    // "user, ttl, method, maddr and transport … parameters appearing in only one URI never match."
    for (const name of STRICT_PARAMS) {
      const inA = Object.hasOwn(a.params, name);
      if (inA !== Object.hasOwn(b.params, name)) return false;
      if (inA && !sameParamValue(a.params[name], b.params[name])) return false;
    }
    // "Any other uri-parameter appearing in both URIs must match" (others are ignored).
    for (const name of Object.keys(a.params)) {
      if (Object.hasOwn(b.params, name) && !sameParamValue(a.params[name], b.params[name])) return false;
    }
    // "URI header components are never ignored. Any present header component MUST be present in
    // both URIs and match for the URIs to match."
    const ha = lowerKeys(a.headers);
    const hb = lowerKeys(b.headers);
    if (ha.size !== hb.size) return false;
    for (const [name, value] of ha) {
      const other = hb.get(name);
      if (other === undefined || other.toLowerCase() !== value.toLowerCase()) return false;
    }
    return true;
  }
  if (isTelUri(a) || isTelUri(b)) {
    if (!isTelUri(a) || !isTelUri(b)) return false;
    // RFC 3966 §4: numbers compare digit by digit, ignoring visual separators; parameters as a set.
    if (stripVisual(a.number) !== stripVisual(b.number)) return false;
    const ka = Object.keys(a.params);
    if (ka.length !== Object.keys(b.params).length) return false;
    return ka.every((k) => Object.hasOwn(b.params, k) && sameParamValue(a.params[k], b.params[k]));
  }
  return a.scheme === b.scheme && (a as { raw: string }).raw === (b as { raw: string }).raw;
}

function sameParamValue(x: string | null | undefined, y: string | null | undefined): boolean {
  if (x === y) return true;
  if (x === null || y === null || x === undefined || y === undefined) return false;
  return x.toLowerCase() === y.toLowerCase();
}

function lowerKeys(h: Record<string, string>): Map<string, string> {
  const m = new Map<string, string>();
  for (const k of Object.keys(h)) m.set(k.toLowerCase(), h[k] ?? '');
  return m;
}

function stripVisual(n: string): string {
  let s = '';
  for (let i = 0; i < n.length; i++) {
    const c = n[i] ?? '';
    if (c !== '-' && c !== '.' && c !== '(' && c !== ')') s += c.toLowerCase();
  }
  return s;
}
