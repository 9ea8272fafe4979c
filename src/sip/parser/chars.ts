/**
 * Character classes of the RFC 3261 §25.1 ABNF as lookup tables, so scanners test one byte with
 * one array read instead of a regular expression.
 */

function table(chars: string, alnum: boolean): Uint8Array {
  const t = new Uint8Array(128);
  if (alnum) {
    for (let c = 48; c <= 57; c++) t[c] = 1;
    for (let c = 65; c <= 90; c++) t[c] = 1;
    for (let c = 97; c <= 122; c++) t[c] = 1;
  }
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = table("-.!%*_+`'~", true);
/** unreserved = alphanum / mark */
const MARK = "-_.!~*'()";
/** user = 1*( unreserved / escaped / user-unreserved ) — `%` admitted for escapes. */
export const USER = table(MARK + '%&=+$,;?/', true);
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD = table(MARK + '%&=+$,', true);
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAMCHAR = table(MARK + '%[]/:&+$', true);
/** hname / hvalue characters: hnv-unreserved / unreserved / escaped */
export const HNV = table(MARK + '%[]/?:+$', true);
/** hostname characters (alphanum, "-", "."), plus "_" seen in the wild. */
export const HOST = table('-._', true);
/** IPv6 reference content: hex digits, ":" and "." (embedded IPv4). */
export const IPV6 = table(':.', true);
/** Characters we accept unquoted in a header parameter value: token, host and IPv6 forms (RFC 5118). */
export const PARAM_VALUE = table("-.!%*_+`'~:[]/", true);
/** tel: number characters (RFC 3966 phonedigit-hex, visual separators, `*`, `#`, `+`). */
export const TEL = table('*#+-.()', true);

export const SP = 32;
export const HTAB = 9;
export const CR = 13;
export const LF = 10;

/** True for SP and HTAB (WSP). */
export function isWsp(c: number): boolean {
  return c === SP || c === HTAB;
}

/** True for SP, HTAB, CR and LF (what LWS/SWS may contain). */
export function isLws(c: number): boolean {
  return c === SP || c === HTAB || c === CR || c === LF;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether `c` (a char code) belongs to the class `t`; non-ASCII is never in a class. */
export function inClass(t: Uint8Array, c: number): boolean {
  return c < 128 && t[c] === 1;
}

/** Whether the whole of `s` is a non-empty token (§25.1). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN[c] !== 1) return false;
  }
  return true;
}

/**
 * Splits a header value at the commas that separate list elements (§7.3.1), never inside a
 * quoted-string (with `\` escapes) and never inside `<…>`. Elements are trimmed and empty ones
 * dropped.
 */
export function splitTopLevel(value: string, out: string[]): void {
  let start = 0;
  let angle = false;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const q = value.charCodeAt(i);
        if (q === 92 /* \ */) i++;
        else if (q === 34) break;
        i++;
      }
    } else if (c === 60 /* < */) angle = true;
    else if (c === 62 /* > */) angle = false;
    else if (c === 44 /* , */ && !angle) {
      pushTrimmed(value, start, i, out);
      start = i + 1;
    }
  }
  pushTrimmed(value, start, n, out);
}

function pushTrimmed(s: string, from: number, to: number, out: string[]): void {
  while (from < to && isLws(s.charCodeAt(from))) from++;
  while (to > from && isLws(s.charCodeAt(to - 1))) to--;
  if (to > from) out.push(s.slice(from, to));
}
