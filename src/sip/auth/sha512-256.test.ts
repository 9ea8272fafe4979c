import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha512_256 } from './sha512-256';

describe('SHA-512/256 (FIPS 180-4 §5.3.6.2), opt-in for RFC 8760', () => {
  it('hashes "abc" to the NIST example value, not a truncated SHA-512', () => {
    expect(sha512_256('abc')).toBe('53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23');
  });

  it('agrees with node:crypto on arbitrary strings (UTF-8 octets)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (s) => sha512_256(s) === createHash('sha512-256').update(s, 'utf8').digest('hex'),
      ),
      { numRuns: 100 },
    );
  });
});
