/**
 * `npm run bench`: runs every bench section and rewrites its part of BENCHMARKS.md.
 *
 * Sections are independent modules returning markdown; later issues add theirs (call set-up
 * timings, bundle size …) to SECTIONS. `--quick` gives a fast, noisy run for development and does
 * not touch BENCHMARKS.md unless `--write` is also given. `--only=<id>` runs one section; the
 * `-bench` suffix may be left out (`--only=size`).
 */
import { fileURLToPath } from 'node:url';
import { writeSection } from './lib/benchmarks-md';
import { runCallBench, SECTION_ID as CALL_SECTION } from './calls/call-bench';
import { runParserBench, SECTION_ID as PARSER_SECTION } from './parser/parser-bench';
import { runSizeBench, SECTION_ID as SIZE_SECTION } from './size/size-bench';

interface Section {
  readonly id: string;
  readonly run: (quick: boolean) => Promise<{ markdown: string; console: string }>;
  /** Other names `--only=` accepts (e.g. the folder name). */
  readonly aliases?: readonly string[];
}

const SECTIONS: readonly Section[] = [
  { id: PARSER_SECTION, run: (quick) => runParserBench({ quick }) },
  { id: SIZE_SECTION, run: (quick) => runSizeBench({ quick }) },
  { id: CALL_SECTION, aliases: ['calls'], run: (quick) => runCallBench({ quick }) },
];

const BENCHMARKS_MD = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

async function main(argv: readonly string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const write = !quick || argv.includes('--write');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  for (const section of SECTIONS) {
    const names = [section.id, ...(section.aliases ?? [])];
    if (only !== undefined && !names.includes(only) && section.id !== `${only}-bench`) continue;
    console.log(`\n== ${section.id} ==`);
    const result = await section.run(quick);
    console.log(result.console);
    if (write) {
      writeSection(BENCHMARKS_MD, section.id, result.markdown);
      console.log(`\nwrote section ${section.id} of BENCHMARKS.md`);
    }
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
