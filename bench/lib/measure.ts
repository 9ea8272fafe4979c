/**
 * Timing and allocation primitives shared by the benches.
 *
 * Throughput: a sample runs the whole corpus `rounds` times and is timed with
 * process.hrtime.bigint(); rounds are calibrated so one sample lasts about `sampleMs`. Samples of all
 * candidates are interleaved (A B C A B C …) so a burst of load from another process on a shared
 * machine lands on every candidate rather than on one; the median sample is reported.
 *
 * Allocation: V8 has no allocated-bytes counter in Node 20 (getHeapStatistics() has no
 * total_allocated_bytes), so it is measured from the heap's used size with the young generation made
 * large enough that no collection can run during the measured loop: see {@link measureAllocation}.
 */
import v8 from 'node:v8';

/** Result sink: keeps every parse result observable so no work can be optimised away. */
let sink: unknown;
export function consume(value: unknown): void {
  sink = value;
}
export function lastSink(): unknown {
  return sink;
}

export interface Candidate {
  readonly id: string;
  readonly run: (input: string) => unknown;
}

function runRounds(run: (input: string) => unknown, inputs: readonly string[], rounds: number): void {
  let last: unknown;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < inputs.length; i++) last = run(inputs[i]!);
  }
  sink = last;
}

function timeRounds(run: (input: string) => unknown, inputs: readonly string[], rounds: number): number {
  const start = process.hrtime.bigint();
  runRounds(run, inputs, rounds);
  return Number(process.hrtime.bigint() - start);
}

export interface ThroughputOptions {
  /** Minimum wall time spent warming each candidate before its first sample. */
  readonly warmupMs: number;
  /** Target duration of one sample. */
  readonly sampleMs: number;
  /** Samples per candidate (the median is reported). */
  readonly samples: number;
}

export interface Throughput {
  readonly id: string;
  /** Median nanoseconds per input. */
  readonly nsPerInput: number;
  /** Inputs per second at the median. */
  readonly perSecond: number;
  /** Median absolute deviation / median of the samples: a robust noise indicator. */
  readonly noise: number;
  readonly samples: readonly number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Warm up, calibrate, then interleave `samples` timed samples per candidate. */
export function measureThroughput(
  candidates: readonly Candidate[],
  inputs: readonly string[],
  options: ThroughputOptions,
): Throughput[] {
  const rounds = candidates.map((c) => {
    let n = 1;
    const start = Date.now();
    let spent = 0;
    // Warm-up doubles as calibration: grow the batch until one batch lasts ~sampleMs / 4.
    while (Date.now() - start < options.warmupMs || spent < (options.sampleMs * 1e6) / 4) {
      spent = timeRounds(c.run, inputs, n);
      if (spent < (options.sampleMs * 1e6) / 4) n *= 2;
    }
    return Math.max(1, Math.round((n * options.sampleMs * 1e6) / Math.max(spent, 1)));
  });
  const perInput: number[][] = candidates.map(() => []);
  for (let s = 0; s < options.samples; s++) {
    candidates.forEach((c, i) => {
      const ns = timeRounds(c.run, inputs, rounds[i]!);
      perInput[i]!.push(ns / (rounds[i]! * inputs.length));
    });
  }
  return candidates.map((c, i) => {
    const samples = perInput[i]!;
    const mid = median(samples);
    return {
      id: c.id,
      nsPerInput: mid,
      perSecond: 1e9 / mid,
      noise: median(samples.map((x) => Math.abs(x - mid))) / mid,
      samples,
    };
  });
}

export interface Allocation {
  readonly id: string;
  /** Median bytes allocated per input over the repetitions. */
  readonly bytesPerInput: number;
  readonly rounds: number;
}

declare const gc: (() => void) | undefined;

/**
 * Bytes allocated per input, steady state (after warm-up, so optimised code and its escape analysis
 * are what is measured, as in a long-running softphone).
 *
 * Method: force two full GCs (empties the young generation), read used_heap_size, run the corpus
 * `rounds` times, read used_heap_size again. The difference is what the loop allocated, provided no
 * collection ran in between; a v8.GCProfiler session around the loop proves that, and if any GC is
 * seen the repetition is retried with half the rounds. The process must run with --expose-gc and a
 * large fixed young generation (--min-semi-space-size = --max-semi-space-size, see alloc-worker.ts)
 * so that `youngBudget` bytes fit without a scavenge.
 */
export function measureAllocation(
  candidate: Candidate,
  inputs: readonly string[],
  youngBudget: number,
  repetitions = 3,
): Allocation {
  if (typeof gc !== 'function') throw new Error('measureAllocation needs node --expose-gc');
  // Warm-up to optimised steady state: at least 20 rounds and 300 ms.
  const warmStart = Date.now();
  for (let r = 0; r < 20 || Date.now() - warmStart < 300; r++) runRounds(candidate.run, inputs, 1);
  // Estimate one round's allocation (a GC may happen here; the estimate only sizes the real runs).
  gc();
  const h0 = v8.getHeapStatistics().used_heap_size;
  runRounds(candidate.run, inputs, 1);
  const estimate = Math.max(v8.getHeapStatistics().used_heap_size - h0, 1);
  let rounds = Math.max(1, Math.min(5000, Math.floor(youngBudget / estimate)));
  const results: number[] = [];
  let attempts = 0;
  while (results.length < repetitions) {
    if (++attempts > repetitions + 8) throw new Error(`${candidate.id}: a GC ran in every attempt`);
    gc();
    gc();
    const profiler = new v8.GCProfiler();
    profiler.start();
    const before = v8.getHeapStatistics().used_heap_size;
    runRounds(candidate.run, inputs, rounds);
    const after = v8.getHeapStatistics().used_heap_size;
    const gcs = profiler.stop().statistics.length;
    if (gcs > 0) {
      rounds = Math.max(1, rounds >> 1);
      continue;
    }
    results.push((after - before) / (rounds * inputs.length));
  }
  return { id: candidate.id, bytesPerInput: median(results), rounds };
}
