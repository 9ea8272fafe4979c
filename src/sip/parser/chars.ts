/**
 * Character classes of the RFC 3261 §25.1 ABNF as lookup tables, so scanners test one byte with
 * one array read instead of a regular expression.
 */

/** The class of alphanum plus `chars`, as a lookup table indexed by char code. */
export function table(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 48; c <= 122; c++) if (c <= 57 || (c >= 65 && c <= 90) || c >= 97) t[c] = 1;
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

// Every class below is alphanum plus the listed marks.
/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = /* @__PURE__ */ table("-.!%*_+`'~");
/** unreserved = alphanum / mark */
const MARK = "-_.!~*'()";
/**
 * userinfo = user [ ":" password ]: user = 1*( unreserved / escaped / user-unreserved ), password =
 * *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) — `%` admitted for escapes.
 */
export const USERINFO = /* @__PURE__ */ table(MARK + '%&=+$,;?/:');
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD = /* @__PURE__ */ table(MARK + '%&=+$,');
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAMCHAR = /* @__PURE__ */ table(MARK + '%[]/:&+$');
/** paramchar without "&", what a formatter leaves unescaped in a URI parameter. */
export const PARAMCHAR_OUT = /* @__PURE__ */ table(MARK + '%[]/:+$');
/** hname / hvalue characters: hnv-unreserved / unreserved / escaped */
export const HNV = /* @__PURE__ */ table(MARK + '%[]/?:+$');
/** hostname characters (alphanum, "-", "."), plus "_" seen in the wild. */
export const HOST = /* @__PURE__ */ table('-._');
/** IPv6 reference content: hex digits, ":" and "." (embedded IPv4). */
export const IPV6 = /* @__PURE__ */ table(':.');
/** Characters we accept unquoted in a header parameter value: token, host and IPv6 forms (RFC 5118). */
export const PARAM_VALUE = /* @__PURE__ */ table("-.!%*_+`'~:[]/");

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
  // Past the table (non-ASCII) the read is undefined: outside the class, as `inClass` says.
  while (i < end && t[s.charCodeAt(i)] === 1) i++;
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

/** Index of the first character of `s[i, end)` that is not LWS (SP, HTAB, CR, LF), or `end`. */
export function skipLws(s: string, i: number, end = s.length): number {
  while (i < end && isLws(s.charCodeAt(i))) i++;
  return i;
}

/** `end` moved back over the LWS that ends `s[start, end)`. */
export function trimLwsEnd(s: string, start: number, end: number): number {
  while (end > start && isLws(s.charCodeAt(end - 1))) end--;
  return end;
}

/** Whether the whole of `s` is a non-empty token (§25.1). */
export function isToken(s: string): boolean {
  return s.length > 0 && skipClass(TOKEN, s, 0) === s.length;
}
