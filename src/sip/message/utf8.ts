/**
 * UTF-8 lengths and %-escapes (RFC 3261 §19.1.2 "escaped", RFC 3986 §2.1) without TextEncoder /
 * TextDecoder, which the core cannot assume (it compiles against lib ES2022 only).
 */
import { inClass } from '../parser/chars';

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

/** A run of `%HH` escapes: the bytes of zero or more characters. One pass, no backtracking. */
const ESCAPES = /(?:%[\da-f]{2})+/gi;

/**
 * Resolves `%HH` escapes, reading the bytes as UTF-8. Malformed escapes (`%zz`, a trailing `%`) are
 * kept as written, and so are the non-ASCII bytes of a run of escapes that is not valid UTF-8 (its
 * ASCII escapes are resolved), so decoding never fails.
 */
export function percentDecode(s: string): string {
  return s.replace(ESCAPES, decodeRun);
}

function decodeRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    // Not UTF-8 (an overlong form, a surrogate, a stray continuation byte): only ASCII is safe.
    return run.replace(/%[0-7][\da-f]/gi, decodeURIComponent);
  }
}

/**
 * %-escapes every character of `s` outside `allowed` (an ASCII class table), as UTF-8 bytes.
 * `%` itself is always escaped, so `percentDecode(percentEncode(x, t)) === x`. Every class passed
 * here holds the marks `encodeURIComponent` leaves alone, so it escapes whatever the class does not.
 */
export function percentEncode(s: string, allowed: Uint8Array): string {
  let out = '';
  // By code point: a surrogate pair comes whole; a lone surrogate, which encodeURIComponent
  // rejects, is written as U+FFFD, as an encoder would.
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out +=
      c !== 37 && inClass(allowed, c)
        ? ch
        : encodeURIComponent(ch.length === 1 && (c & 0xf800) === 0xd800 ? '\ufffd' : ch);
  }
  return out;
}
