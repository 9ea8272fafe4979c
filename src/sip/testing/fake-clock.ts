import type { Clock, TimerHandle } from '../support/clock';

/** A manual clock for tests: time moves only through {@link FakeClock.advance}. */
export class FakeClock implements Clock {
  #now = 0;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward, firing due timers in order (including timers they schedule). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, t] of this.#timers) {
        if (t.at < nextAt || (t.at === nextAt && nextId !== undefined && id < nextId)) {
          nextAt = t.at;
          nextId = id;
        }
      }
      if (nextId === undefined || nextAt > end) break;
      const timer = this.#timers.get(nextId)!;
      this.#timers.delete(nextId);
      this.#now = nextAt;
      timer.callback();
    }
    this.#now = end;
  }
}

/** Deterministic bytes for tests: a simple counter-based stream. */
export function sequentialBytes(seed = 1): (n: number) => Uint8Array {
  let state = seed;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      out[i] = state >>> 24;
    }
    return out;
  };
}
