import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5, T } from './md5';

const nodeMd5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

describe('MD5 (RFC 1321)', () => {
  // RFC 1321 §A.5, the test suite.
  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
  ])('MD5("%s")', (input, digest) => {
    expect(md5(input)).toBe(digest);
  });

  it('pads every length around the 64-byte block boundaries', () => {
    for (let n = 0; n <= 200; n++) expect(md5('x'.repeat(n))).toBe(nodeMd5('x'.repeat(n)));
  });

  it('hashes the UTF-8 octets: 2-, 3- and 4-byte characters, and a lone surrogate as U+FFFD', () => {
    for (const s of ['é', '€', '☎', '𝄞', 'J\u00e4s\u00f8n Doe', '\ud800', 'a\udc00b', '\ud83d']) {
      expect(md5(s)).toBe(nodeMd5(s));
    }
  });

  it('agrees with node:crypto on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 100 })),
        (s) => md5(s) === nodeMd5(s),
      ),
      { numRuns: 300 },
    );
  });

  it('computes T from the sine far enough from any integer for an ulp of Math.sin not to matter', () => {
    // T[i] = floor(|sin(i)| * 2^32): a 1-ulp error in sin moves the product by at most 2^-21;
    // every product lies more than 0.01 away from an integer.
    for (let i = 0; i < 64; i++) {
      const x = Math.abs(Math.sin(i + 1)) * 2 ** 32;
      expect(Math.min(x % 1, 1 - (x % 1))).toBeGreaterThan(0.01);
      expect(T[i]! >>> 0).toBe(Math.floor(x));
    }
    // Spot checks against the table of RFC 1321 §A.3 (first, a middle and the last step).
    expect([T[0]! >>> 0, T[31]! >>> 0, T[63]! >>> 0]).toEqual([0xd76aa478, 0x8d2a4c8a, 0xeb86d391]);
  });
});
