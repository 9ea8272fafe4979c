/**
 * Time as a port (STYLE.md habit 6): the core never reads global timers, so tests drive every
 * RFC 3261 timer with a fake clock and the same code runs in the browser and in Node.
 */

/** Opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = { readonly __timer: unique symbol } | number | object;

export interface Clock {
  /** Milliseconds on a monotonic-enough scale; only differences are meaningful. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

interface HostTimers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

const host = globalThis as unknown as HostTimers;

/**
 * The host's timers. Reached through `globalThis` because the core compiles without DOM or Node
 * type libraries; both environments provide these functions. They are looked up at each call, so
 * a test's fake timers installed later still apply.
 */
export const systemClock: Clock = {
  // Wall-clock time is monotonic enough for what the core measures (a 32 s merge window).
  now: () => Date.now(),
  setTimeout: (callback, ms) => host.setTimeout(callback, ms),
  clearTimeout: (handle) => host.clearTimeout(handle),
};
