/**
 * UTF-8 lengths and %-escapes (RFC 3261 §19.1.2 "escaped", RFC 3986 §2.1) without TextEncoder /
 * TextDecoder, which the core cannot assume (it compiles against lib ES2022 only).
 */

/**
 * The longest run of ASCII characters starting at `lastIndex`. A sticky regular expression scans in
 * native code, several times faster than a `charCodeAt` loop; bodies are almost always pure ASCII,
 * so this one scan is usually the whole count. Shared module state is safe: `lastIndex` is set right
 * before each single use and nothing can run in between. Written as "not U+0080-U+FFFF" (the same
 * set of UTF-16 units as U+0000-U+007F) to keep control characters out of the pattern.
 */
const ASCII_RUN = /[^\x80-\uffff]*/y;

/**
 * Byte length of `s` (from index `from` on) encoded as UTF-8 — what Content-Length counts (§20.14:
 * "the size of the message-body, in decimal number of octets"). A lone surrogate counts as U+FFFD
 * (3 bytes), as an encoder would write it. `from` lets the parser count a body in place, without
 * slicing it off the message first.
 */
export function utf8ByteLength(s: string, from = 0): number {
  const n = s.length;
  const start = from > 0 ? from : 0;
  if (start >= n) return 0;
  ASCII_RUN.lastIndex = start;
  ASCII_RUN.test(s);
  const ascii = ASCII_RUN.lastIndex;
  // Every ASCII char is one byte; only the part from the first wider char needs walking.
  let bytes = n - start;
  for (let i = ascii; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && isLow(s.charCodeAt(i + 1))) {
      // A surrogate pair is two UTF-16 units and four bytes.
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Resolves `%HH` escapes, reading the bytes as UTF-8. Malformed escapes (`%zz`, a trailing `%`) and
 * byte runs that are not valid UTF-8 are kept as written, so decoding never fails.
 */
export function percentDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const pct = s.indexOf('%', i);
    if (pct < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, pct);
    const b0 = escapedByte(s, pct);
    if (b0 < 0) {
      out += '%';
      i = pct + 1;
      continue;
    }
    // Work out how many continuation bytes the lead byte announces.
    let need: number;
    let cp = 0;
    if (b0 < 0x80) {
      need = 0;
      cp = b0;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
    } else need = -1;
    let j = pct + 3;
    let good = need >= 0;
    for (let k = 0; good && k < need; k++) {
      const b = escapedByte(s, j);
      if (b < 0x80 || b > 0xbf) good = false;
      else {
        cp = (cp << 6) | (b & 0x3f);
        j += 3;
      }
    }
    // Reject overlong forms and surrogates: they are not valid UTF-8 (RFC 3629 §3).
    if (good && need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) good = false;
    if (good && need === 3 && (cp < 0x10000 || cp > 0x10ffff)) good = false;
    if (!good) {
      out += s.slice(pct, pct + 3);
      i = pct + 3;
      continue;
    }
    out += String.fromCodePoint(cp);
    i = j;
  }
  return out;
}

function escapedByte(s: string, at: number): number {
  if (at + 2 >= s.length) return -1;
  if (s.charCodeAt(at) !== 37) return -1;
  const hi = hexValue(s.charCodeAt(at + 1));
  const lo = hexValue(s.charCodeAt(at + 2));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

const HEX = '0123456789ABCDEF';

/**
 * %-escapes every character of `s` outside `allowed` (an ASCII class table), as UTF-8 bytes.
 * `%` itself is always escaped, so `percentDecode(percentEncode(x, t)) === x`.
 */
export function percentEncode(s: string, allowed: Uint8Array): string {
  let i = 0;
  const n = s.length;
  // Fast path: nothing to escape.
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128 || c === 37 || allowed[c] !== 1) break;
    i++;
  }
  if (i === n) return s;
  let out = s.slice(0, i);
  while (i < n) {
    let c = s.charCodeAt(i);
    if (c < 128 && c !== 37 && allowed[c] === 1) {
      out += s[i];
      i++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && isLow(s.charCodeAt(i + 1))) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
      i += 2;
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      i++;
    }
    if (c < 0x80) out += esc(c);
    else if (c < 0x800) out += esc(0xc0 | (c >> 6)) + esc(0x80 | (c & 0x3f));
    else if (c < 0x10000)
      out += esc(0xe0 | (c >> 12)) + esc(0x80 | ((c >> 6) & 0x3f)) + esc(0x80 | (c & 0x3f));
    else {
      out +=
        esc(0xf0 | (c >> 18)) +
        esc(0x80 | ((c >> 12) & 0x3f)) +
        esc(0x80 | ((c >> 6) & 0x3f)) +
        esc(0x80 | (c & 0x3f));
    }
  }
  return out;
}

function esc(b: number): string {
  return '%' + HEX.charAt(b >> 4) + HEX.charAt(b & 15);
}
