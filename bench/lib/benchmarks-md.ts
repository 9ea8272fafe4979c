/**
 * BENCHMARKS.md is shared by several benches: each owns the text between its own pair of markers
 * (`<!-- <id>:start -->` … `<!-- <id>:end -->`) and rewrites only that, so sections added by later
 * benches (call set-up timings, bundle size …) and hand-written prose around them survive a rerun.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const PREAMBLE = `# Benchmarks

Numbers produced by \`npm run bench\` (scripts in \`bench/\`). Each section between
\`<!-- …:start -->\` / \`<!-- …:end -->\` markers is rewritten by its bench; edit outside the markers.
`;

/** Returns `document` with the section `id` replaced by `body`, or appended when absent. */
export function upsertSection(document: string, id: string, body: string): string {
  const start = `<!-- ${id}:start -->`;
  const end = `<!-- ${id}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from >= 0 && to > from) return document.slice(0, from) + block + document.slice(to + end.length);
  const base = document.trim() === '' ? PREAMBLE : document;
  return `${base.trimEnd()}\n\n${block}\n`;
}

export function writeSection(file: string, id: string, body: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, upsertSection(current, id, body));
}
