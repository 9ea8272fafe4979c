/**
 * The size budget bench (issue 6 item 3): gzipped size of Ringlet's SIP core bundled minimally for
 * the browser (user agent + registration + calls) against SIP.js and JsSIP bundled the same way
 * with the same feature set, plus the widget's JS once `src/widget/index.ts` exists. Every
 * candidate goes through the one configuration in bundle.ts; the entries are in entries/.
 *
 * Bundling is deterministic (same inputs and tool versions give the same bytes), so one run is
 * enough: `quick` changes nothing but is accepted for bench/run.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isoDate } from '../lib/environment';
import { analyseBundle, type BundleAnalysis } from './analysis';
import { bundle, measureSizes, type Sizes } from './bundle';

export const SECTION_ID = 'size-bench';

/** 15 KiB gzipped for the SIP core, and at most a third of either competitor. */
export const CORE_BUDGET_GZIP = 15 * 1024;
export const COMPETITOR_FRACTION = 1 / 3;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * Installed version read from node_modules directly: lib/environment's `installedVersion` goes
 * through `require.resolve('<pkg>/package.json')`, which packages whose `exports` map omits
 * package.json (@noble/hashes 2) refuse.
 */
function installedVersion(pkg: string): string {
  try {
    const json = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return json.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

const WIDGET_ENTRIES = ['src/widget/index.ts', 'src/widget/index.tsx'];

interface Candidate {
  readonly id: 'core' | 'core-full' | 'phone' | 'sipjs' | 'jssip' | 'widget';
  readonly label: string;
  /** Entry path relative to the repository root; undefined when there is nothing to bundle yet. */
  readonly entry: string | undefined;
  readonly what: string;
}

type Measured =
  | { readonly kind: 'ok'; readonly raw: Sizes; readonly min: Sizes; readonly cssBytes: number }
  | { readonly kind: 'missing' | 'failed'; readonly reason: string };

interface Row {
  readonly candidate: Candidate;
  readonly result: Measured;
}

export interface TargetCheck {
  readonly label: string;
  readonly detail: string;
  readonly pass: boolean | undefined;
}

export interface SizeBenchResult {
  readonly markdown: string;
  readonly console: string;
  readonly targets: readonly TargetCheck[];
}

function candidates(): Candidate[] {
  const widget = WIDGET_ENTRIES.find((e) => existsSync(path.join(ROOT, e)));
  return [
    {
      id: 'core',
      label: 'Ringlet SIP core, minimal',
      entry: 'bench/size/entries/ringlet-core.ts',
      what: '`UserAgent` from src/sip with default options (no opt-in module): register, call, answer, hang up, CANCEL, early media, forking, answering a peer re-INVITE; media handler supplied by the app',
    },
    {
      id: 'core-full',
      label: 'Ringlet SIP core, every extension',
      entry: 'bench/size/entries/ringlet-core-full.ts',
      what: 'the same `UserAgent` with every opt-in module src/phone installs: hold/re-offer, PRACK, UPDATE, session timers, INFO, outbound keep-alive, GRUU, SHA-512-256 and the rare digest variants, the redacting logger, tel: URIs',
    },
    {
      id: 'sipjs',
      label: `SIP.js ${installedVersion('sip.js')}`,
      entry: 'bench/size/entries/sipjs.ts',
      what: '`UserAgent` + `Registerer` + `Inviter`, incoming via `delegate.onInvite`; includes its WebRTC session description handler',
    },
    {
      id: 'jssip',
      label: `JsSIP ${installedVersion('jssip')}`,
      entry: 'bench/size/entries/jssip.ts',
      what: '`JsSIP.UA` register + `call` + answer + terminate; CommonJS, so nothing can be tree-shaken; includes its RTCSession media code',
    },
    {
      id: 'phone',
      label: 'Ringlet core + media',
      entry: 'bench/size/entries/ringlet-phone.ts',
      what: "src/phone's `Phone` (SIP core + src/media WebRTC layer): like for like with the competitors, which bundle their own media handling",
    },
    {
      id: 'widget',
      label: 'Ringlet widget',
      entry: widget,
      what:
        widget === undefined
          ? '`<ringlet-phone>` (src/widget/index.ts): not built yet'
          : `\`<ringlet-phone>\` (${widget}) with React and everything it imports`,
    },
  ];
}

async function measure(candidate: Candidate): Promise<Measured> {
  if (candidate.entry === undefined) return { kind: 'missing', reason: 'not built yet' };
  try {
    const raw = await bundle(ROOT, candidate.entry, { minify: false });
    const min = await bundle(ROOT, candidate.entry, { minify: true });
    return { kind: 'ok', raw: measureSizes(raw.code), min: measureSizes(min.code), cssBytes: min.cssBytes };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'failed', reason: `build failed: ${message.split('\n')[0] ?? ''}` };
  }
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtKib = (n: number): string => (n / 1024).toFixed(1);
const fmtRatio = (r: number): string => (r >= 10 ? r.toFixed(0) : r.toFixed(2)) + '×';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const align = header.map((_, i) => (i === 0 ? ':--' : '--:'));
  return [line(header), line(align), ...rows.map(line)].join('\n');
}

function okSizes(rows: readonly Row[], id: Candidate['id']): Sizes | undefined {
  const row = rows.find((r) => r.candidate.id === id);
  return row?.result.kind === 'ok' ? row.result.min : undefined;
}

function checkTargets(rows: readonly Row[]): TargetCheck[] {
  const core = okSizes(rows, 'core');
  if (core === undefined)
    return [{ label: 'all targets', detail: 'Ringlet core not measured', pass: undefined }];
  const targets: TargetCheck[] = [
    {
      label: `Ringlet SIP core ≤ ${fmtKib(CORE_BUDGET_GZIP)} KiB gzipped`,
      detail: `${fmtInt(core.gzip)} B = ${fmtKib(core.gzip)} KiB (${core.gzip <= CORE_BUDGET_GZIP ? `${fmtInt(CORE_BUDGET_GZIP - core.gzip)} B to spare` : `${fmtInt(core.gzip - CORE_BUDGET_GZIP)} B over`})`,
      pass: core.gzip <= CORE_BUDGET_GZIP,
    },
  ];
  const full = okSizes(rows, 'core-full');
  const fullNote = (other: Sizes | undefined): string =>
    full === undefined || other === undefined
      ? ''
      : `; with every extension ${fmtInt(full.gzip)} B = ${(full.gzip / other.gzip).toFixed(2)}`;
  for (const id of ['sipjs', 'jssip'] as const) {
    const row = rows.find((r) => r.candidate.id === id);
    const other = okSizes(rows, id);
    const label = `Ringlet SIP core ≤ 1/3 of ${row?.candidate.label ?? id} gzipped`;
    if (other === undefined) {
      targets.push({ label, detail: 'competitor not measured', pass: undefined });
      continue;
    }
    const fraction = core.gzip / other.gzip;
    targets.push({
      label,
      detail: `${fmtInt(core.gzip)} B / ${fmtInt(other.gzip)} B = ${fraction.toFixed(2)} (limit ${fmtInt(other.gzip * COMPETITOR_FRACTION)} B${fullNote(other)})`,
      pass: fraction <= COMPETITOR_FRACTION,
    });
  }
  return targets;
}

function sizesTable(rows: readonly Row[]): string {
  const core = okSizes(rows, 'core');
  return table(
    ['bundle', 'raw B', 'minified B', 'gzip B', 'gzip KiB', 'brotli B', 'gzip vs Ringlet core'],
    rows.map(({ candidate, result }) => {
      if (result.kind !== 'ok') return [candidate.label, result.reason, '–', '–', '–', '–', '–'];
      return [
        candidate.label,
        fmtInt(result.raw.bytes),
        fmtInt(result.min.bytes),
        fmtInt(result.min.gzip),
        fmtKib(result.min.gzip),
        fmtInt(result.min.brotli),
        core === undefined ? '–' : fmtRatio(result.min.gzip / core.gzip),
      ];
    }),
  );
}

function analysisMarkdown(analysis: BundleAnalysis): string {
  const pct = (n: number): string => `${((100 * n) / analysis.total).toFixed(1)}%`;
  const folders = table(
    ['folder', 'minified B', 'share'],
    [...analysis.folders].map(([folder, bytes]) => [`\`${folder}\``, fmtInt(bytes), pct(bytes)]),
  );
  const modules = table(
    ['module', 'minified B', 'share', 'gzip B (marginal)', 'string literal B'],
    analysis.modules
      .slice(0, 15)
      .map((m) => [
        `\`${m.module}\``,
        fmtInt(m.minified),
        pct(m.minified),
        fmtInt(m.gzipMarginal),
        fmtInt(m.strings),
      ]),
  );
  const clip = (text: string): string => {
    const short = text.length > 70 ? `${text.slice(0, 67)}…` : text;
    return short.replace(/\|/g, '\\|').replace(/`/g, "'");
  };
  const strings = table(
    ['string literal (minified source)', 'module', 'uses', 'bytes'],
    analysis.longestStrings.map((s) => [
      clip(s.text),
      `\`${s.module ?? '?'}\``,
      fmtInt(s.count),
      fmtInt(s.bytes),
    ]),
  );
  const properties = table(
    ['property / method name', 'uses', 'bytes'],
    analysis.costliestProperties.map((p) => [`\`${p.text}\``, fmtInt(p.count), fmtInt(p.bytes)]),
  );
  return [
    `Minified Ringlet core, ${fmtInt(analysis.total)} B, attributed through the bundle's source map. ` +
      `"gzip B (marginal)" is how much smaller the gzipped bundle gets without that module's bytes ` +
      `(gzip does not split exactly, so these do not add up to the total). String literals make up ` +
      `${fmtInt(analysis.stringBytes)} B (${pct(analysis.stringBytes)}; ${fmtInt(analysis.proseBytes)} B of it ` +
      `prose such as error and log messages) and non-mangled property / method ` +
      `names ${fmtInt(analysis.propertyBytes)} B (${pct(analysis.propertyBytes)}); minifiers shorten neither.`,
    '',
    folders,
    '',
    modules,
    '',
    strings,
    '',
    properties,
  ].join('\n');
}

/** Runs the bench; `quick` is accepted for symmetry with the other sections and changes nothing. */
export async function runSizeBench(_options: { readonly quick: boolean }): Promise<SizeBenchResult> {
  const started = Date.now();
  const rows: Row[] = [];
  for (const candidate of candidates()) rows.push({ candidate, result: await measure(candidate) });

  const coreEntry = candidates().find((c) => c.id === 'core')?.entry;
  let analysis: BundleAnalysis | undefined;
  if (coreEntry !== undefined && okSizes(rows, 'core') !== undefined) {
    const mapped = await bundle(ROOT, coreEntry, { minify: true, sourcemap: true });
    if (mapped.map) analysis = analyseBundle(mapped.code, mapped.map);
  }

  const targets = checkTargets(rows);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const mark = (pass: boolean | undefined): string => (pass === undefined ? '⚠️' : pass ? '✅' : '❌');
  const targetLines = targets.map((t) => `- ${mark(t.pass)} ${t.label}: ${t.detail}`);
  const widget = rows.find((r) => r.candidate.id === 'widget');
  const css = widget?.result.kind === 'ok' && widget.result.cssBytes > 0 ? widget.result.cssBytes : undefined;

  const markdown = [
    '## Bundle size',
    '',
    `Measured ${isoDate()} with \`npm run bench -- --only=size\` in ${seconds} s: Vite ${installedVersion('vite')} ` +
      `(rolldown ${installedVersion('rolldown')}), @noble/hashes ${installedVersion('@noble/hashes')}, ` +
      `React ${installedVersion('react')} (widget).`,
    '',
    'Every bundle is built the same way (`bench/size/bundle.ts`): Vite library mode, one ES module, ' +
      'browser resolution, target ES2022, all dependencies bundled, `process.env.NODE_ENV` = ' +
      '"production", comments dropped. Each entry (`bench/size/entries/`) uses only user agent + ' +
      'registration + outgoing and incoming calls + hang-up, so tree-shaking keeps that feature set; ' +
      "Ringlet's core is measured twice, with no opt-in module (the budget's figure) and with every one " +
      'src/phone installs (what the app ships), because its optional features live in modules the ' +
      "competitors' designs cannot leave out. " +
      '**raw**: bundled, not minified; **minified**: oxc compress + mangle + whitespace; **gzip** ' +
      '(level 9) and **brotli** (quality 11) of the minified bundle. 1 KiB = 1,024 B.',
    '',
    sizesTable(rows),
    '',
    ...rows.map((r) => `- **${r.candidate.label}**: ${r.candidate.what}.`),
    ...(css === undefined ? [] : [`- The widget also emits ${fmtInt(css)} B of CSS (not counted above).`]),
    '',
    '**Targets**',
    '',
    ...targetLines,
    ...(analysis === undefined
      ? []
      : [
          '',
          '<details><summary>What the Ringlet core bundle is made of</summary>',
          '',
          analysisMarkdown(analysis),
          '',
          '</details>',
        ]),
  ].join('\n');

  const consoleLines = [sizesTable(rows), '', ...targetLines];
  if (analysis !== undefined) {
    consoleLines.push('', 'Top contributors to the minified Ringlet core:');
    for (const m of analysis.modules.slice(0, 10)) {
      consoleLines.push(
        `  ${fmtInt(m.minified).padStart(7)} B  ~${fmtInt(m.gzipMarginal).padStart(6)} B gz  ${m.module}`,
      );
    }
  }
  return { markdown, console: consoleLines.join('\n'), targets };
}
