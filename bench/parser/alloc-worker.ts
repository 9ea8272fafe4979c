/**
 * Child process of the parser bench that measures bytes allocated per message.
 *
 * It runs apart from the throughput measurement because it needs a young generation big enough to
 * hold every allocation of the measured loop (see measureAllocation in bench/lib/measure.ts); that
 * configuration would change scavenge frequency and so distort the timing if used in the same
 * process. Started by parser-bench.ts with `--expose-gc --min/max-semi-space-size=<argv[2]>` (MB);
 * replies over IPC.
 */
import { measureAllocation, type Allocation } from '../lib/measure';
import { loadAdapters } from './adapters';
import { loadCorpus } from './corpus';

export interface AllocWorkerReply {
  readonly allocations: readonly Allocation[];
}

async function main(): Promise<void> {
  const { adapters } = await loadAdapters();
  const inputs = loadCorpus().map((m) => m.text);
  // The measured loop may allocate at most a quarter of one semi-space.
  const budget = (Number(process.argv[2]) * 1024 * 1024) / 4;
  const allocations = adapters.map((a) =>
    measureAllocation({ id: `${a.implementation}/${a.mode}`, run: a.parse }, inputs, budget),
  );
  const reply: AllocWorkerReply = { allocations };
  process.send?.(reply);
}

if (process.send !== undefined) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
