/**
 * URIs of the message model: SIP/SIPS (RFC 3261 §19.1) and other schemes (tel: included) kept
 * verbatim. Parsing lives in `parser/parse-uri.ts`; this module formats and compares.
 */
import type { Params, SipUri, Uri } from './types';
import { percentDecode } from './utf8';

export { parseUri } from '../parser/parse-uri';

/** Narrows a {@link Uri} to a SIP or SIPS URI. */
export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

/**
 * Serialises a URI (§25.1 SIP-URI); other schemes are written verbatim. Components are written
 * as they are held: their wire text, escapes included (see `SipUri`).
 */
export function formatUri(uri: Uri): string {
  if (!isSipUri(uri)) return uri.raw;
  let s = uri.scheme + ':';
  if (uri.user !== undefined) s += uri.user + '@';
  s += uri.host;
  if (uri.port !== undefined) s += ':' + uri.port;
  for (const name of Object.keys(uri.params)) {
    const v = uri.params[name];
    s += ';' + name + (v === null || v === undefined ? '' : '=' + v);
  }
  let sep = '?';
  for (const name of Object.keys(uri.headers)) {
    s += sep + name + '=' + uri.headers[name];
    sep = '&';
  }
  return s;
}

/** Parameters that must match when present in either URI (§19.1.4). */
const STRICT_PARAMS = ['user', 'ttl', 'method', 'maddr', 'transport'];

/**
 * URI equality, RFC 3261 §19.1.4 for SIP/SIPS, exact text otherwise (`telUriEquals` in
 * `tel-uri.ts` compares tel: URIs by RFC 3966 §4). Not an equivalence relation (§19.1.4 notes it
 * is not transitive).
 */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (!isSipUri(a) || !isSipUri(b)) {
    // A SIP or SIPS URI never equals a URI of another scheme; others compare as text.
    return !isSipUri(a) && !isSipUri(b) && a.raw === b.raw;
  }
  // "Characters other than those in the reserved set are equivalent to their '%' HEX HEX encoding."
  // "A SIP and SIPS URI are never equivalent."
  // "Comparison of the userinfo of SIP and SIPS URIs is case-sensitive."
  // "A URI omitting any component with a default value will not match a URI explicitly
  // containing that component with its default value." (hosts are stored lower-cased)
  if (
    a.scheme !== b.scheme ||
    (a.user && percentDecode(a.user)) !== (b.user && percentDecode(b.user)) ||
    a.host !== b.host ||
    a.port !== b.port
  )
    return false;
  // "user, ttl, method, maddr and transport … parameters appearing in only one URI never match."
  // "Any other uri-parameter appearing in both URIs must match" (others are ignored).
  // "URI header components are never ignored. Any present header component MUST be present in
  // both URIs and match for the URIs to match." Header names compare case-insensitively.
  return (
    sameParams(a.params, b.params, (name) => STRICT_PARAMS.includes(name)) &&
    sameParams(a.headers, b.headers, () => true)
  );
}

/**
 * Whether the parameters of `x` and `y` match, escapes resolved, names and values compared
 * case-insensitively (a flag only matches a flag). One present in a single URI fails only when
 * `required(name)`.
 */
function sameParams(x: Params, y: Params, required: (name: string) => boolean): boolean {
  const nx = normalised(x);
  const ny = normalised(y);
  for (const name of new Set([...nx.keys(), ...ny.keys()])) {
    const v = nx.get(name);
    const w = ny.get(name);
    if (v === undefined || w === undefined ? required(name) : v !== w) return false;
  }
  return true;
}

/** Name → value (null for a flag), escapes resolved, lower-cased. */
function normalised(params: Params): Map<string, string | null> {
  return new Map(
    Object.keys(params).map((name) => {
      const v = params[name];
      return [
        percentDecode(name).toLowerCase(),
        typeof v === 'string' ? percentDecode(v).toLowerCase() : null,
      ];
    }),
  );
}
