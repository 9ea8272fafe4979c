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
  // Through `inClass`: an out-of-bounds read of the table (non-ASCII) would be just as correct,
  // but the engine then recompiles every table read in a slower form.
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

/**
 * A memo from names as written (`text[start, end)`) to a spelling derived from them: lower-cased
 * parameter names, canonical header names. A name seen before is recognised in place, with no
 * slice, no hash and no case mapping, and comes back as the same string every time, which the
 * engine interns once it keys a parameter map. Bounded (names come off the wire): per first
 * character it keeps the first 16 names it meets and derives any other afresh.
 */
export function nameCache(
  derive: (name: string) => string,
): (text: string, start: number, end: number) => string {
  const buckets: string[][] = [];
  for (let c = 0; c < 128; c++) buckets.push([]);
  return (text, start, end) => {
    const seen = buckets[text.charCodeAt(start) & 127]!;
    for (let i = 0; i < seen.length; i += 2) {
      const name = seen[i]!;
      if (name.length !== end - start) continue;
      let j = 0;
      while (j < name.length && name.charCodeAt(j) === text.charCodeAt(start + j)) j++;
      if (j === name.length) return seen[i + 1]!;
    }
    // A flat copy: a slice may be a view that would keep the whole message alive in the cache, and
    // the loop above compares fastest against a flat string.
    const name = text.slice(start, end).split('').join('');
    // The engine's own copy of the derived string (what a property key becomes): parameter maps are
    // keyed by it and header names compared with `===` against literals, both by identity this way.
    const derived = Object.keys({ [derive(name)]: 0 })[0]!;
    if (seen.length < 32) seen.push(name, derived);
    return derived;
  };
}

/** A parameter name at `text[start, end)`, lower-cased (§7.3.1: case-insensitive), memoised. */
export const lowerNameAt = /* @__PURE__ */ nameCache((name) => name.toLowerCase());
