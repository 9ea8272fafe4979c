/**
 * SHA-256 (FIPS 180-4 §6.2) of the UTF-8 octets of a string, as lower-case hex: H() of the SHA-256
 * and SHA-256-sess Digest algorithms (RFC 8760 §2.1, RFC 7616 §3.4.1). Hand-written and
 * synchronous: the core has neither WebCrypto (async) nor Node.
 */
import { paddedWords, wordsToHex } from './hash-words';

type Words8 = [number, number, number, number, number, number, number, number];

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
}

/** The first 32 bits of the fractional part of `x`, as an int32. */
const fraction32 = (x: number): number => ((x % 1) * 2 ** 32) | 0;

const PRIMES = firstPrimes(64);
// §4.2.2: K holds "the first thirty-two bits of the fractional parts of the cube roots of the
// first sixty-four prime numbers"; §5.3.3: H(0) those of the square roots of the first eight.
// A cube root below 7 keeps 50 fraction bits in a double, 18 more than needed, and no constant
// lies near enough to a 32-bit boundary for the last-ulp error of Math.cbrt to matter
// (sha256.test.ts checks them against exact integer roots, hence the exports).
export const K = PRIMES.map((p) => fraction32(Math.cbrt(p)));
export const H0 = PRIMES.slice(0, 8).map((p) => fraction32(Math.sqrt(p))) as Words8;

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

export function sha256(input: string): string {
  const m = paddedWords(input, true);
  let hash = H0;
  for (let block = 0; block < m.length; block += 16) {
    const w = m.slice(block, block + 16);
    let [a, b, c, d, e, f, g, h] = hash;
    for (let t = 0; t < 64; t++) {
      if (t >= 16) {
        // §6.2.2 step 1: the message schedule, σ0 and σ1 of §4.1.2.
        const x = w[t - 15]!;
        const y = w[t - 2]!;
        const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
        const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
        w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
      }
      // §6.2.2 step 3, with Σ0, Σ1, Ch and Maj of §4.1.2.
      const t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t]! + w[t]!;
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      [a, b, c, d, e, f, g, h] = [(t1 + t2) | 0, a, b, c, (d + t1) | 0, e, f, g];
    }
    hash = [a, b, c, d, e, f, g, h].map((v, i) => (v + hash[i]!) | 0) as Words8;
  }
  return wordsToHex(hash, true);
}
