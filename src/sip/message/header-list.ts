/**
 * The elements of list headers, RFC 3261 §7.3.1: "it MUST be possible to combine the multiple
 * header field rows into one 'field-name: field-value' pair … by appending each subsequent
 * field-value to the first, each separated by a comma". `SipHeaders.getAll` returns field rows as
 * they came; a proxy that removes the top Via or the first Route needs the elements instead. The
 * user agent only copies rows, so this lives in its own module.
 */
import { skipLws, trimLwsEnd } from '../parser/chars';
import type { SipHeaders } from './sip-message';

/**
 * Every element of the list header `name` (Via, Route, Record-Route, Contact, Allow, …) across all
 * its fields, in order: each field split at its top-level commas, never inside a quoted-string or
 * `<…>`, elements trimmed and empty ones dropped. Only meaningful for list headers: the commas of
 * an authentication header separate parameters, not values (§20.27, §20.44).
 */
export function getList(headers: SipHeaders, name: string): string[] {
  const out: string[] = [];
  for (const value of headers.getAll(name)) {
    const n = value.length;
    let start = 0;
    let angle = false;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c === 34 /* " */) {
        // Skip the quoted-string: to the next unescaped DQUOTE, or to the end.
        while (++i < n && value.charCodeAt(i) !== 34) if (value.charCodeAt(i) === 92 /* \ */) i++;
      } else if (c === 60 /* < */) angle = true;
      else if (c === 62 /* > */) angle = false;
      else if (c === 44 /* , */ && !angle) {
        pushTrimmed(value, start, i, out);
        start = i + 1;
      }
    }
    pushTrimmed(value, start, n, out);
  }
  return out;
}

function pushTrimmed(s: string, from: number, to: number, out: string[]): void {
  from = skipLws(s, from, to);
  to = trimLwsEnd(s, from, to);
  if (to > from) out.push(s.slice(from, to));
}
