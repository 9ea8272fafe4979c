/**
 * Character classes of the RFC 3261 §25.1 ABNF as lookup tables, so scanners test one byte with
 * one array read instead of a regular expression.
 */

function table(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 48; c <= 122; c++) if (c <= 57 || (c >= 65 && c <= 90) || c >= 97) t[c] = 1;
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

// Every class below is alphanum plus the listed marks.
/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = table("-.!%*_+`'~");
/** token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="   (RFC 7235 §2.1), without the "=" */
export const TOKEN68 = table('-._~+/');
/** unreserved = alphanum / mark */
const MARK = "-_.!~*'()";
/** user = 1*( unreserved / escaped / user-unreserved ) — `%` admitted for escapes. */
export const USER = table(MARK + '%&=+$,;?/');
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD = table(MARK + '%&=+$,');
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAMCHAR = table(MARK + '%[]/:&+$');
/** paramchar without "&", what a formatter leaves unescaped in a URI parameter. */
export const PARAMCHAR_OUT = table(MARK + '%[]/:+$');
/** hname / hvalue characters: hnv-unreserved / unreserved / escaped */
export const HNV = table(MARK + '%[]/?:+$');
/** hostname characters (alphanum, "-", "."), plus "_" seen in the wild. */
export const HOST = table('-._');
/** IPv6 reference content: hex digits, ":" and "." (embedded IPv4). */
export const IPV6 = table(':.');
/** Characters we accept unquoted in a header parameter value: token, host and IPv6 forms (RFC 5118). */
export const PARAM_VALUE = table("-.!%*_+`'~:[]/");
/** tel: number characters (RFC 3966 phonedigit-hex, visual separators, `*`, `#`, `+`). */
export const TEL = table('*#+-.()');

/** True for SP, HTAB, CR and LF (what LWS/SWS may contain). */
export function isLws(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** Whether `c` (a char code) belongs to the class `t`; non-ASCII is never in a class. */
export function inClass(t: Uint8Array, c: number): boolean {
  return c < 128 && t[c] === 1;
}

/** Index of the first character of `s[i, end)` outside the class `t`, or `end`. */
export function skipClass(t: Uint8Array, s: string, i: number, end = s.length): number {
  while (i < end && inClass(t, s.charCodeAt(i))) i++;
  return i;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Index of the first character of `s[i, end)` that is not a DIGIT, or `end`. */
export function skipDigits(s: string, i: number, end = s.length): number {
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** Index of the first character at or after `i` that is not LWS (SP, HTAB, CR, LF). */
export function skipLws(s: string, i: number): number {
  while (i < s.length && isLws(s.charCodeAt(i))) i++;
  return i;
}

/** Whether the whole of `s` is a non-empty token (§25.1). */
export function isToken(s: string): boolean {
  return s.length > 0 && skipClass(TOKEN, s, 0) === s.length;
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

function pushTrimmed(s: string, from: number, to: number, out: string[]): void {
  from = skipLws(s, from);
  while (to > from && isLws(s.charCodeAt(to - 1))) to--;
  if (to > from) out.push(s.slice(from, to));
}
