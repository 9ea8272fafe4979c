/**
 * tel: URIs, RFC 3966 — opt-in. The core keeps a tel: URI as an {@link OtherUri} (its text,
 * verbatim), which is all a SIP user agent needs to send one or to refuse one (§8.2.2.1, 416); an
 * application that wants the number and parameters (dial-string validation, display) parses it
 * here, so the minimal bundle carries none of this.
 */
import { ok, type ParseResult } from '../parser/parse-result';
import { badUri, parseUriParams } from '../parser/parse-uri';
import { skipClass, table } from '../parser/chars';
import type { Params, TelUri, Uri } from './types';

/** tel: number characters (RFC 3966 phonedigit-hex, visual separators, `*`, `#`, `+`). */
const TEL = /* @__PURE__ */ table('*#+-.()');

/**
 * telephone-uri = "tel:" telephone-subscriber   (RFC 3966 §3); the scheme is case-insensitive.
 * Errors carry code `bad-uri` and the 1-based column within `text`.
 */
export function parseTelUri(text: string): ParseResult<TelUri> {
  const start = 4;
  const n = text.length;
  if (text.slice(0, start).toLowerCase() !== 'tel:') return badUri(0, 0);
  const i = skipClass(TEL, text, start, n);
  if (i === start) return badUri(i, 0);
  const params: Params = {};
  const r = parseUriParams(text, i, n, params);
  if (r < 0) return badUri(-r - 1, 0);
  if (r < n) return badUri(r, 0);
  return ok({ scheme: 'tel', raw: text, number: text.slice(start, i), params });
}

/** Whether `uri` is a tel: URI that {@link parseTelUri} read (not merely a tel: {@link OtherUri}). */
export function isTelUri(uri: Uri): uri is TelUri {
  return uri.scheme === 'tel' && 'number' in uri;
}

/**
 * RFC 3966 §4: numbers compare digit by digit, ignoring visual separators (§5.1.1) and case;
 * parameters as a set, names and values case-insensitively.
 */
export function telUriEquals(a: TelUri, b: TelUri): boolean {
  return normalised(a) === normalised(b);
}

/** The number without visual separators, then the parameters sorted, all lower-cased. */
function normalised(uri: TelUri): string {
  const params = Object.keys(uri.params)
    .map((name) => name + '=' + (uri.params[name] ?? ''))
    .sort();
  return [uri.number.replace(/[-.()]/g, ''), ...params].join(';').toLowerCase();
}
