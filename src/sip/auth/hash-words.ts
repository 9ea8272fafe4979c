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
  // Byte n lands in word n >> 2, in the lane its byte order gives it; a word not yet written is
  // undefined, which `|` reads as 0.
  const put = (byte: number): void => {
    words[n >> 2]! |= byte << (8 * ((n & 3) ^ flip));
    n++;
  };
  // UTF-8 (RFC 3629 §3) by way of encodeURIComponent, which writes every octet of a non-ASCII
  // character (and of some ASCII ones) as %XX: the core has no TextEncoder. It refuses a lone
  // surrogate, which first becomes U+FFFD, as TextEncoder writes it (with the u flag the class
  // matches no half of a well-formed pair).
  const escaped = encodeURIComponent(input.replace(/[\ud800-\udfff]/gu, '\ufffd'));
  for (const [, hex, char] of escaped.matchAll(/%(..)|(.)/g))
    put(hex ? parseInt(hex, 16) : char!.charCodeAt(0));
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
