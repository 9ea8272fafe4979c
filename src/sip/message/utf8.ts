/**
 * UTF-8 lengths and %-escapes (RFC 3261 §19.1.2 "escaped", RFC 3986 §2.1) without TextEncoder /
 * TextDecoder, which the core cannot assume (it compiles against lib ES2022 only).
 */
import { inClass, skipClass } from '../parser/chars';

/**
 * The longest run of ASCII characters starting at `lastIndex`. A sticky regular expression scans in
 * native code, several times faster than a `charCodeAt` loop; bodies are almost always pure ASCII,
 * so this one scan is usually the whole count. Shared module state is safe: `lastIndex` is set right
 * before each single use and nothing can run in between. Written as "not U+0080-U+FFFF" (the same
 * set of UTF-16 units as U+0000-U+007F) to keep control characters out of the pattern.
 */
const ASCII_RUN = /[^\x80-\uffff]*/y;

/**
 * UTF-8 length of the character at `s[i]`: a surrogate pair is one 4-byte character (two UTF-16
 * units); a lone surrogate counts as U+FFFD (3 bytes), as an encoder would write it.
 */
function charBytes(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  return (c & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 4 : 3;
}

/**
 * Byte length of `s` (from index `from` on) encoded as UTF-8 — what Content-Length counts (§20.14:
 * "the size of the message-body, in decimal number of octets"). `from` lets the parser count a body
 * in place, without slicing it off the message first.
 */
export function utf8ByteLength(s: string, from = 0): number {
  from = Math.max(from, 0);
  if (from >= s.length) return 0;
  ASCII_RUN.lastIndex = from;
  ASCII_RUN.test(s);
  // Every ASCII char is one byte; only the part from the first wider char needs walking.
  let i = ASCII_RUN.lastIndex;
  let bytes = i - from;
  while (i < s.length) {
    const b = charBytes(s, i);
    bytes += b;
    i += b === 4 ? 2 : 1;
  }
  return bytes;
}

/**
 * The start of `s` that is exactly `bytes` long in UTF-8, or undefined when that length ends inside
 * a character. `bytes` must be below `utf8ByteLength(s)`.
 */
export function utf8Prefix(s: string, bytes: number): string | undefined {
  let i = 0;
  let n = 0;
  while (n < bytes) {
    const b = charBytes(s, i);
    n += b;
    i += b === 4 ? 2 : 1;
  }
  return n === bytes ? s.slice(0, i) : undefined;
}

/** UTF8-tail = %x80-BF, escaped. */
const TAIL = '%[89ab][\\da-f]';

/**
 * One escaped UTF-8 character, RFC 3629 §4 with each octet written `%HH`:
 *   UTF8-1 = %x00-7F
 *   UTF8-2 = %xC2-DF UTF8-tail
 *   UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) / %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
 *   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) / %xF4 %x80-8F 2( UTF8-tail )
 * Overlong forms, surrogates and stray tails match none of them. Every alternative has a fixed
 * length, so the scan never backtracks more than a few characters.
 */
const ESCAPED_CHAR = new RegExp(
  [
    '%[0-7][\\da-f]',
    `%(?:c[2-9a-f]|d[\\da-f])${TAIL}`,
    `%e0%[ab][\\da-f]${TAIL}`,
    `%e[1-9a-cef]${TAIL}${TAIL}`,
    `%ed%[89][\\da-f]${TAIL}`,
    `%f0%[9ab][\\da-f]${TAIL}${TAIL}`,
    `%f[1-3]${TAIL}${TAIL}${TAIL}`,
    `%f4%8[\\da-f]${TAIL}${TAIL}`,
  ].join('|'),
  'gi',
);

/**
 * Resolves `%HH` escapes, reading the bytes as UTF-8. Malformed escapes (`%zz`, a trailing `%`) and
 * byte runs that are not valid UTF-8 are kept as written, so decoding never fails.
 */
export function percentDecode(s: string): string {
  // Only valid sequences match, so decodeURIComponent cannot throw.
  return s.includes('%') ? s.replace(ESCAPED_CHAR, decodeURIComponent) : s;
}

/**
 * %-escapes every character of `s` outside `allowed` (an ASCII class table), as UTF-8 bytes.
 * `%` itself is always escaped, so `percentDecode(percentEncode(x, t)) === x`.
 */
export function percentEncode(s: string, allowed: Uint8Array): string {
  if (skipClass(allowed, s, 0) === s.length && !s.includes('%')) return s;
  let out = '';
  // By code point: a surrogate pair comes whole, a lone surrogate alone.
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c === 37 || !inClass(allowed, c)) {
      // encodeURIComponent leaves some marks unescaped, so ASCII is escaped here.
      out +=
        c < 0x80
          ? (c < 16 ? '%0' : '%') + c.toString(16).toUpperCase()
          : encodeURIComponent((c & 0xf800) === 0xd800 && ch.length === 1 ? '\ufffd' : ch);
    } else out += ch;
  }
  return out;
}
