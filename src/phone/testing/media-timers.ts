/**
 * Time for tests that run calls through the fake peer connection (src/media/fake-peer-connection):
 * it gathers ICE candidates on global timers, while the SIP core (and the stores) run on a manual
 * clock such as src/sip/testing's FakeClock. These helpers move both together.
 */
import { afterEach, beforeEach, vi } from 'vitest';

/** The part of a manual clock (FakeClock) these helpers drive. */
export interface ManualClock {
  advance(ms: number): void;
}

/** Fakes the global timers for every test of the calling file (call it at the file's top level). */
export function useFakeMediaTimers(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Advances the clock and the global timers together, one millisecond at a time, for `ms`. */
export async function run(clock: ManualClock, ms = 100): Promise<void> {
  for (let t = 0; t < ms; t++) {
    clock.advance(1);
    vi.advanceTimersByTime(1);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Awaits `work` while both clocks run (media work waits for ICE gathering on timers). */
export async function settled<T>(clock: ManualClock, work: Promise<T>, ms = 100): Promise<T> {
  await run(clock, ms);
  return work;
}
