/**
 * The message preparation and output shared by md5.ts (RFC 1321 §3.1–§3.2) and sha256.ts
 * (FIPS 180-4 §5.1.1, §5.2.1): the UTF-8 octets of a string, a 1 bit, zeros up to 56 mod 64
 * octets and the length in bits as 64 bits, read as 32-bit words. The two hashes differ only in
 * byte order: MD5 is little-endian, SHA-256 big-endian.
 */

/** The padded message as 32-bit words (a multiple of 16), bytes in the given order. */
export function paddedWords(input: string, bigEndian: boolean): number[] {
  const words: number[] = [];
  const flip = bigEndian ? 3 : 0;
  let n = 0;
  // Byte n lands in word n >> 2, in the lane its byte order gives it.
  const put = (byte: number): void => {
    words[n >> 2] = (words[n >> 2] ?? 0) | (byte << (8 * ((n & 3) ^ flip)));
    n++;
  };
  for (const char of input) {
    // UTF-8 (RFC 3629 §3), written by hand: the core has no TextEncoder. A lone surrogate becomes
    // U+FFFD, as TextEncoder writes it.
    let c = char.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) {
      put(c);
      continue;
    }
    const tail = c < 0x800 ? 1 : c < 0x10000 ? 2 : 3;
    // The lead byte is tail + 1 one bits and a zero (110xxxxx, 1110xxxx, 11110xxx), then the
    // top bits; each continuation byte is 10xxxxxx.
    put(((0xff80 >> tail) & 0xff) | (c >> (6 * tail)));
    for (let k = tail - 1; k >= 0; k--) put(0x80 | ((c >> (6 * k)) & 0x3f));
  }
  const bits = [n << 3, n >>> 29]; // the 64-bit bit length, low word first
  put(0x80);
  while ((n & 63) !== 56) put(0);
  words.push(...(bigEndian ? bits.reverse() : bits));
  return words;
}

/** The words as lower-case hex, bytes in the given order. */
export function wordsToHex(words: readonly number[], bigEndian: boolean): string {
  let hex = '';
  for (let i = 0; i < words.length * 4; i++) {
    const byte = (words[i >> 2]! >>> (8 * ((i & 3) ^ (bigEndian ? 3 : 0)))) & 0xff;
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}
