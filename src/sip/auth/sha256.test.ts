import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { H0, K, sha256 } from './sha256';

const nodeSha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** floor(x^(1/n)) for a non-negative bigint, exactly (Newton's method on integers). */
function integerRoot(x: bigint, n: bigint): bigint {
  let r = 1n << (BigInt(x.toString(2).length) / n + 1n); // above the root
  for (;;) {
    const next = ((n - 1n) * r + x / r ** (n - 1n)) / n;
    if (next >= r) return r;
    r = next;
  }
}

const PRIMES = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
];

describe('SHA-256 (FIPS 180-4)', () => {
  // The NIST example computations (FIPS 180-4 Appendix B of the earlier FIPS 180-2 / CSRC examples).
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('SHA-256("%s")', (input, digest) => {
    expect(sha256(input)).toBe(digest);
  });

  it('hashes one million "a"', () => {
    expect(sha256('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('pads every length around the 64-byte block boundaries', () => {
    for (let n = 0; n <= 200; n++) expect(sha256('x'.repeat(n))).toBe(nodeSha256('x'.repeat(n)));
  });

  it('hashes the UTF-8 octets: 2-, 3- and 4-byte characters, and a lone surrogate as U+FFFD', () => {
    for (const s of ['é', '€', '☎', '𝄞', 'J\u00e4s\u00f8n Doe', '\ud800', 'a\udc00b', '\ud83d']) {
      expect(sha256(s)).toBe(nodeSha256(s));
    }
  });

  it('agrees with node:crypto on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 100 })),
        (s) => sha256(s) === nodeSha256(s),
      ),
      { numRuns: 300 },
    );
  });

  it('computes K and H(0) exactly: the fractional bits of the cube and square roots of the primes', () => {
    const primes: number[] = [];
    for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
    expect(primes.slice(0, PRIMES.length)).toEqual(PRIMES);
    expect(primes[63]).toBe(311);
    const low32 = (x: bigint): number => Number(x & 0xffffffffn);
    // floor(cbrt(p) * 2^32) mod 2^32 = floor(cbrt(p * 2^96)) mod 2^32, in integers only.
    expect(K.map((k) => k >>> 0)).toEqual(primes.map((p) => low32(integerRoot(BigInt(p) << 96n, 3n))));
    expect(H0.map((h) => h >>> 0)).toEqual(
      primes.slice(0, 8).map((p) => low32(integerRoot(BigInt(p) << 64n, 2n))),
    );
    // FIPS 180-4 §4.2.2 and §5.3.3 spot checks.
    expect([K[0]! >>> 0, K[63]! >>> 0, H0[0] >>> 0, H0[7] >>> 0]).toEqual([
      0x428a2f98, 0xc67178f2, 0x6a09e667, 0x5be0cd19,
    ]);
  });
});
