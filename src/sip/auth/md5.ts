/**
 * MD5 (RFC 1321) of the UTF-8 octets of a string, as lower-case hex: H() of the MD5 and MD5-sess
 * Digest algorithms (RFC 3261 §22.4, RFC 7616 §3.4.1), which many SIP servers still offer alone.
 * Hand-written and synchronous: the core has neither WebCrypto (async, and without MD5) nor Node.
 */
import { paddedWords, wordsToHex } from './hash-words';

type Words4 = [number, number, number, number];

// RFC 1321 §3.4: "T[i] denotes the i-th element of the table, which is equal to the integer part of
// 4294967296 times abs(sin(i))". Engines compute Math.sin to about an ulp, and no entry lies near
// enough to an integer for that to move the floor (md5.test.ts checks the margin, hence the export).
// (`| 0` truncates, as floor does for a positive number, and wraps into int32.)
export const T = Array.from({ length: 64 }, (_, i) => (Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);

// The left-rotation amounts of §3.4: four per round, cycled over its sixteen steps.
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

export function md5(input: string): string {
  const x = paddedWords(input, false);
  // §3.3: the initial buffer A, B, C, D.
  let state: Words4 = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let block = 0; block < x.length; block += 16) {
    let [a, b, c, d] = state;
    for (let i = 0; i < 64; i++) {
      const round = i >> 4;
      // §3.4: each round has its auxiliary function (F, G, H, I) and its order of the 16 words.
      const f = [(b & c) | (~b & d), (b & d) | (c & ~d), b ^ c ^ d, c ^ (b | ~d)][round]!;
      const k = [i, 5 * i + 1, 3 * i + 5, 7 * i][round]!;
      const sum = a + f + T[i]! + x[block + (k & 15)]!;
      const s = S[round * 4 + (i & 3)]!;
      [a, b, c, d] = [d, (b + ((sum << s) | (sum >>> (32 - s)))) | 0, b, c];
    }
    state = [a, b, c, d].map((v, j) => (v + state[j]!) | 0) as Words4;
  }
  return wordsToHex(state, false);
}
