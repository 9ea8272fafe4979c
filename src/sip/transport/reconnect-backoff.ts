/**
 * Reconnection back-off: capped exponential growth with "full jitter" (the delay is uniform between
 * zero and the capped exponential bound). Jitter matters more than growth here: when a SIP edge
 * proxy restarts, every browser it served loses its WebSocket at the same instant, and identical
 * retry schedules would hit the restarted server as one wave.
 */
import type { Random } from '../support/random';

export interface BackoffPolicy {
  /** Upper bound of the first delay. */
  readonly baseMs: number;
  /** Growth of the bound per failed round. */
  readonly factor: number;
  /** No single delay exceeds this, whatever the round. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, factor: 2, capMs: 30_000 };

/** The bound for a round: `min(cap, base · factor^round)`. */
export function backoffBound(round: number, policy: BackoffPolicy): number {
  // Computed by repeated multiplication so a huge round number saturates at the cap instead of
  // overflowing to Infinity · 0 = NaN.
  let bound = policy.baseMs;
  for (let i = 0; i < round && bound < policy.capMs; i++) bound *= policy.factor;
  return Math.min(policy.capMs, bound);
}

/**
 * Full-jitter delay for a round, given a uniform fraction in [0, 1).
 * @returns an integer number of milliseconds in [0, backoffBound(round)).
 */
export function backoffDelay(round: number, policy: BackoffPolicy, fraction: number): number {
  const u = Math.min(Math.max(fraction, 0), 1);
  return Math.floor(u * backoffBound(round, policy));
}

/** A uniform fraction in [0, 1) drawn from the injected random source (32 bits). */
export function randomFraction(random: Random): number {
  return parseInt(random.hex(4), 16) / 0x1_0000_0000;
}
