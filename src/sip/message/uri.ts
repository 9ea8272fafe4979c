/**
 * URIs of the message model: SIP/SIPS (RFC 3261 §19.1), tel (RFC 3966) and other schemes kept
 * verbatim. Parsing lives in `parser/parse-uri.ts`; this module formats and compares.
 */
import { HNV, PARAMCHAR_OUT, PASSWORD } from '../parser/chars';
import { setParam } from '../parser/parse-uri';
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

// Output classes: what is written unescaped. A user part may hold `;` `?` `/`, but escaping them
// keeps the output unambiguous, which leaves exactly the password characters. `&` is escaped in
// parameters likewise; "&" and "=" already fall outside hname/hvalue characters.
const USER_OUT = PASSWORD;
const PARAM_OUT = PARAMCHAR_OUT;

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
      s += sep + percentEncode(name, HNV) + '=' + percentEncode(uri.headers[name] ?? '', HNV);
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
  if (isSipUri(a) && isSipUri(b)) {
    // "A SIP and SIPS URI are never equivalent."
    // "Comparison of the userinfo of SIP and SIPS URIs is case-sensitive." (escapes already resolved)
    // "A URI omitting any component with a default value will not match a URI explicitly
    // containing that component with its default value." (hosts are stored lower-cased)
    if (
      a.scheme !== b.scheme ||
      a.user !== b.user ||
      a.password !== b.password ||
      a.host !== b.host ||
      a.port !== b.port
    )
      return false;
    // "user, ttl, method, maddr and transport … parameters appearing in only one URI never match."
    // "Any other uri-parameter appearing in both URIs must match" (others are ignored).
    const strict = (name: string) => STRICT_PARAMS.includes(name);
    if (!sameParams(a.params, b.params, strict) || !sameParams(b.params, a.params, strict)) return false;
    // "URI header components are never ignored. Any present header component MUST be present in
    // both URIs and match for the URIs to match." Header names compare case-insensitively.
    const ha = lowerKeys(a.headers);
    const hb = lowerKeys(b.headers);
    return sameParams(ha, hb, () => true) && sameParams(hb, ha, () => true);
  }
  if (isTelUri(a) && isTelUri(b)) {
    // RFC 3966 §4: numbers compare digit by digit, ignoring visual separators; parameters as a set.
    const all = () => true;
    return (
      stripVisual(a.number) === stripVisual(b.number) &&
      sameParams(a.params, b.params, all) &&
      sameParams(b.params, a.params, all)
    );
  }
  // A SIP, SIPS or tel URI never equals a URI of another scheme; others compare as text.
  return 'raw' in a && 'raw' in b && a.scheme === b.scheme && a.raw === b.raw;
}

/**
 * Whether every parameter of `x` matches in `y` (values case-insensitively; a flag only a flag).
 * A parameter missing from `y` fails only when `required(name)`.
 */
function sameParams(
  x: Record<string, string | null>,
  y: Record<string, string | null>,
  required: (name: string) => boolean,
): boolean {
  return Object.keys(x).every((name) => {
    const v = x[name];
    const w = y[name];
    if (!Object.hasOwn(y, name)) return !required(name);
    return v === w || (typeof v === 'string' && typeof w === 'string' && v.toLowerCase() === w.toLowerCase());
  });
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(h)) setParam(out, k.toLowerCase(), h[k] ?? '');
  return out;
}

/** A tel number without its visual separators (RFC 3966 §5.1.1), lower-cased. */
function stripVisual(n: string): string {
  return n.replace(/[-.()]/g, '').toLowerCase();
}
