import { describe, it, expect } from 'vitest';
import { createRandom } from '../support/random';
import { backoffBound, backoffDelay, DEFAULT_BACKOFF, randomFraction } from './reconnect-backoff';

describe('reconnection back-off with full jitter', () => {
  it('doubles the bound per round from 1 s up to the 30 s cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 1_000].map((r) => backoffBound(r, DEFAULT_BACKOFF))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('keeps every delay in [0, bound] whatever the random fraction', () => {
    for (let round = 0; round < 10; round++) {
      for (const u of [0, 1e-9, 0.25, 0.5, 0.999999, 1, -1, 2]) {
        const delay = backoffDelay(round, DEFAULT_BACKOFF, u);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(backoffBound(round, DEFAULT_BACKOFF));
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('draws a fraction in [0, 1) from the injected random source', () => {
    expect(randomFraction(createRandom((n) => new Uint8Array(n)))).toBe(0);
    const high = randomFraction(createRandom((n) => new Uint8Array(n).fill(0xff)));
    expect(high).toBeLessThan(1);
    expect(high).toBeGreaterThan(0.999);
  });
});
