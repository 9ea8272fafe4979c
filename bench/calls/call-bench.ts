/**
 * Call set-up timings through the real Kamailio, Ringlet vs JsSIP (issue 4, "Measure").
 *
 * One run: Kamailio (test/kamailio), Vite serving bench/calls/*.html from the repository root on
 * 127.0.0.1, and Debian's Chromium launched with the flags of playwright.config.ts (fake
 * microphone, loopback ICE). Four pages, each in its own browser context: a caller and a callee
 * per implementation, all registered at once on the same Kamailio listener. Rounds alternate the
 * implementation that goes first (R J, J R, …) so load from elsewhere on the machine lands on both.
 *
 * Per call the caller page records (bench/calls/probe.ts): `call()`, every SIP frame in and out of
 * its WebSocket, and the first inbound audio packet; the callee records when it answered. Intervals
 * are computed by call-metrics.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type * as Vite from 'vite';
import playwrightConfig from '../../playwright.config';
import {
  findFreePorts,
  findKamailioBinary,
  startKamailio,
  type KamailioServer,
} from '../../test/kamailio/kamailio-server';
import { describeMachine, installedVersion, isoDate } from '../lib/environment';
import { median } from '../lib/measure';
import {
  AUDIO_TIMEOUT_MS,
  BREAKDOWN,
  METRICS,
  audioAt,
  callerFrame,
  fmt,
  table,
  type Impl,
  type Sample,
} from './call-metrics';
import { isCallFrame, summarise, type WireFrame } from './probe';

export const SECTION_ID = 'call-bench';

// A non-literal specifier on purpose, as in bench/size/vite-api.ts: the lint config's import-x
// resolver crashes on vite's exports-only package.json. Type imports are not resolved.
const VITE = 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What-if knob, off by default: RINGLET_BENCH_ICE_TIMEOUT_MS=<ms> gives Ringlet's pages that ICE
 * gathering timeout instead of the phone's default (the section then says so). Used to show what
 * not waiting for Chromium's late TCP host candidates would save.
 */
const ICE_TIMEOUT_OVERRIDE = /^\d{1,5}$/.test(process.env['RINGLET_BENCH_ICE_TIMEOUT_MS'] ?? '')
  ? process.env['RINGLET_BENCH_ICE_TIMEOUT_MS']
  : undefined;

const IMPLS: readonly Impl[] = ['ringlet', 'jssip'];
const LABEL: Record<Impl, string> = { ringlet: 'Ringlet', jssip: 'JsSIP' };
const USERS: Record<Impl, { caller: string; callee: string }> = {
  ringlet: { caller: 'alice', callee: 'bob' },
  jssip: { caller: 'carol', callee: 'dave' },
};

export interface CallBenchOptions {
  readonly quick: boolean;
  /** Measured calls per implementation (default 20, quick 5). */
  readonly calls?: number;
}

interface Endpoint {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
  /**
   * The same frames as seen by Chromium's network stack (DevTools protocol), on the epoch clock:
   * what reached or left the socket, independent of when the page's main thread got to it.
   */
  readonly network: WireFrame[];
}

/**
 * Records WebSocket frames through CDP. Frame events carry monotonic timestamps; the handshake
 * event carries both monotonic and wall time, which maps them onto the pages' epoch clock.
 */
async function tapNetwork(context: BrowserContext, page: Page, frames: WireFrame[]): Promise<void> {
  const cdp = await context.newCDPSession(page);
  let offsetMs: number | undefined;
  type Handshake = { timestamp: number; wallTime: number };
  type Frame = { timestamp: number; response: { opcode: number; payloadData: string } };
  cdp.on('Network.webSocketWillSendHandshakeRequest', (e: Handshake) => {
    offsetMs = e.wallTime * 1000 - e.timestamp * 1000;
  });
  const record = (direction: 'in' | 'out') => (e: Frame) => {
    if (offsetMs === undefined || e.response.opcode !== 1) return;
    const summary = summarise(e.response.payloadData);
    if (isCallFrame(summary)) frames.push({ at: e.timestamp * 1000 + offsetMs, direction, summary });
  };
  cdp.on('Network.webSocketFrameSent', record('out'));
  cdp.on('Network.webSocketFrameReceived', record('in'));
  await cdp.send('Network.enable');
}

async function openEndpoint(
  browser: Browser,
  baseUrl: string,
  impl: Impl,
  user: string,
  role: 'caller' | 'callee',
  pbx: KamailioServer,
): Promise<Endpoint> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  const network: WireFrame[] = [];
  await tapNetwork(context, page, network);
  page.on('pageerror', (error) => errors.push(`${impl} ${role}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${impl} ${role} console: ${message.text()}`);
  });
  const query = new URLSearchParams({
    ws: pbx.wsUrls[0]!,
    uri: `sip:${user}@${pbx.domain}`,
    password: pbx.users[user]!,
  });
  if (impl === 'ringlet' && ICE_TIMEOUT_OVERRIDE !== undefined) query.set('iceTimeout', ICE_TIMEOUT_OVERRIDE);
  await page.goto(`${baseUrl}/bench/calls/${impl}.html?${query.toString()}`);
  try {
    await page.waitForFunction(() => window.callBench !== undefined, undefined, { timeout: 30_000 });
    await page.evaluate(() => window.callBench!.ready());
  } catch (error) {
    throw new Error(`${impl} ${role} page did not get ready: ${String(error)}\n${errors.join('\n')}`);
  }
  return { context, page, errors, network };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a call may take to be answered (200 on the caller page) or to end. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * One call A→B, hung up by A once audio arrived on both sides (or {@link AUDIO_TIMEOUT_MS} after
 * the 200: a call without audio still has its signalling timed); resolves when both pages are idle.
 */
async function oneCall(caller: Endpoint, callee: Endpoint, target: string): Promise<Sample> {
  await callee.page.evaluate(() => window.callBench!.reset());
  caller.network.length = 0;
  callee.network.length = 0;
  await caller.page.evaluate((t) => window.callBench!.call(t), target);
  try {
    await caller.page.waitForFunction(
      () => {
        const m = window.callBench!.marks();
        return m.pollStart !== undefined || m.ended !== undefined;
      },
      undefined,
      { timeout: ANSWER_TIMEOUT_MS, polling: 50 },
    );
    const audio = (page: Page): Promise<unknown> =>
      page.waitForFunction(
        () => {
          const m = window.callBench!.marks();
          return m.audioSeen !== undefined || m.ended !== undefined;
        },
        undefined,
        { timeout: AUDIO_TIMEOUT_MS, polling: 50 },
      );
    await Promise.allSettled([audio(caller.page), audio(callee.page)]);
  } finally {
    await caller.page.evaluate(() => window.callBench!.hangup());
    for (const end of [caller, callee]) {
      await end.page.waitForFunction(() => !window.callBench!.busy(), undefined, {
        timeout: 10_000,
        polling: 50,
      });
    }
  }
  const [a, b] = await Promise.all([
    caller.page.evaluate(() => window.callBench!.marks()),
    callee.page.evaluate(() => window.callBench!.marks()),
  ]);
  return { caller: a, callee: b, callerNetwork: [...caller.network], calleeNetwork: [...callee.network] };
}

function ringletVersion(): string {
  const json = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version?: string };
  return json.version ?? 'unknown';
}

function versionOf(command: string, args: string[], pattern: RegExp): string {
  try {
    const out = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return pattern.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function runCallBench(
  options: CallBenchOptions,
): Promise<{ markdown: string; console: string }> {
  const started = Date.now();
  const machine = describeMachine();
  const calls = options.calls ?? (options.quick ? 5 : 20);
  const warmup = options.quick ? 1 : 2;
  const launch = playwrightConfig.use?.launchOptions ?? {};
  const executablePath = process.env['CHROMIUM_PATH'] ?? launch.executablePath ?? '/usr/bin/chromium';

  const pbx = await startKamailio();
  let vite: Vite.ViteDevServer | undefined;
  let browser: Browser | undefined;
  const endpoints: Endpoint[] = [];
  const samples: Record<Impl, Sample[]> = { ringlet: [], jssip: [] };
  const attempts: Record<Impl, number> = { ringlet: 0, jssip: 0 };
  const failures = new Map<string, number>();
  const fail = (message: string): void => void failures.set(message, (failures.get(message) ?? 0) + 1);
  try {
    const [port] = await findFreePorts(1);
    const { createServer } = (await import(VITE)) as typeof Vite;
    vite = await createServer({
      root: ROOT,
      logLevel: 'warn',
      clearScreen: false,
      server: { host: '127.0.0.1', port: port!, strictPort: true, hmr: false },
      // Both pages' dependencies are bundled before the first page loads, so no page reloads mid-run.
      optimizeDeps: { entries: ['bench/calls/*.html'], include: ['jssip'] },
    });
    await vite.listen();
    const baseUrl = `http://127.0.0.1:${port!}`;
    browser = await chromium.launch({ executablePath, args: launch.args ?? [], headless: true });

    const pages = {} as Record<Impl, { caller: Endpoint; callee: Endpoint }>;
    for (const impl of IMPLS) {
      const callee = await openEndpoint(browser, baseUrl, impl, USERS[impl].callee, 'callee', pbx);
      const caller = await openEndpoint(browser, baseUrl, impl, USERS[impl].caller, 'caller', pbx);
      endpoints.push(callee, caller);
      pages[impl] = { caller, callee };
    }
    const run = async (impl: Impl, record: boolean): Promise<void> => {
      const { caller, callee } = pages[impl];
      if (record) attempts[impl]++;
      const where = `${LABEL[impl]}${record ? '' : ' (warm-up)'}`;
      try {
        const sample = await oneCall(caller, callee, `sip:${USERS[impl].callee}@${pbx.domain}`);
        const problem = sample.caller.error ?? sample.callee.error;
        if (problem !== undefined) fail(`${where}: ${problem.trim()}`);
        else if (record) samples[impl].push(sample);
      } catch (error) {
        fail(`${where}: ${String(error).split('\n')[0]}`);
      }
      // Let BYE/200 and the peer connections' teardown finish before the next call starts.
      await sleep(250);
    };
    for (let i = 0; i < warmup; i++) for (const impl of IMPLS) await run(impl, false);
    // Calls that fail are not counted; rounds go on (both implementations, still alternating) until
    // each has `calls` good samples, within a bound.
    for (let round = 0; round < 2 * calls + 4; round++) {
      if (IMPLS.every((impl) => samples[impl].length >= calls)) break;
      const order = round % 2 === 0 ? IMPLS : [...IMPLS].reverse();
      for (const impl of order) await run(impl, true);
    }
    for (const error of endpoints.flatMap((e) => e.errors)) fail(error);
    const chromiumVersion = browser.version();
    return report({
      samples,
      attempts,
      warmup,
      failures,
      seconds: (Date.now() - started) / 1000,
      machine,
      chromiumVersion,
      kamailioVersion: versionOf(findKamailioBinary(), ['-v'], /version: kamailio (\S+)/),
      quick: options.quick,
    });
  } finally {
    await Promise.allSettled(endpoints.map((e) => e.context.close()));
    await browser?.close();
    await vite?.close();
    await pbx.stop();
  }
}

interface ReportInput {
  readonly samples: Record<Impl, Sample[]>;
  readonly attempts: Record<Impl, number>;
  readonly warmup: number;
  readonly failures: ReadonlyMap<string, number>;
  readonly seconds: number;
  readonly machine: ReturnType<typeof describeMachine>;
  readonly chromiumVersion: string;
  readonly kamailioVersion: string;
  readonly quick: boolean;
}

function report(input: ReportInput): { markdown: string; console: string } {
  const { samples, machine, attempts } = input;
  const counted = (impl: Impl): string =>
    samples[impl].length === attempts[impl]
      ? `${attempts[impl]} ${LABEL[impl]}`
      : `${samples[impl].length} ${LABEL[impl]} (of ${attempts[impl]} attempted)`;
  const probeNote = (impl: Impl): string => {
    const list = samples[impl];
    const refined = list.filter((s) => s.caller.audioEstimate !== undefined).length;
    const gap = list
      .filter((s) => s.caller.audioEstimate !== undefined && s.caller.audioSeen !== undefined)
      .map((s) => s.caller.audioSeen! - s.caller.audioEstimate!);
    const candidates = list.map((s) => s.caller.localCandidates ?? NaN).filter(Number.isFinite);
    const silentA = list.filter((x) => audioAt(x.caller) === undefined).length;
    const silentB = list.filter((x) => audioAt(x.callee) === undefined).length;
    const early = list.filter((x) => {
      const invite = callerFrame(x, 'out', 'INVITE');
      return invite !== undefined && (x.caller.gatheringComplete ?? Infinity) > invite;
    }).length;
    return (
      `${LABEL[impl]}: no audio within ${AUDIO_TIMEOUT_MS / 1000} s on A in ${silentA}/${list.length} calls, ` +
      `on B in ${silentB}/${list.length}; INVITE sent before ICE gathering completed in ${early}/${list.length}; ` +
      `${refined}/${list.length} first-packet times on A refined from lastPacketReceivedTimestamp ` +
      `(poll lag median ${fmt(gap.length ? median(gap) : NaN)} ms); ` +
      `candidates in the INVITE: ${candidates.length ? median(candidates) : '–'} (median)`
    );
  };
  const md = [
    '## Call set-up through Kamailio',
    '',
    `Measured ${isoDate()} with \`npm run bench${input.quick ? ' -- --quick --write' : ''}\` (this section alone: ` +
      `\`npm run bench -- --only=calls\`); it took ` +
      `${input.seconds.toFixed(0)} s on ${machine.cpu} (${machine.cores} cores, load average ` +
      `${machine.load.toFixed(1)} at start), Node ${machine.node}, ${machine.platform}. ` +
      `Chromium ${input.chromiumVersion} (headless, flags of playwright.config.ts), Kamailio ${input.kamailioVersion} ` +
      `on loopback, JsSIP ${installedVersion('jssip')}, Ringlet ${ringletVersion()} (working tree).` +
      (ICE_TIMEOUT_OVERRIDE === undefined
        ? ''
        : ` **What-if run: Ringlet's ICE gathering timeout set to ${ICE_TIMEOUT_OVERRIDE} ms** ` +
          '(RINGLET_BENCH_ICE_TIMEOUT_MS), not its default.'),
    '',
    `Calls A→B, audio only, no ICE servers (host candidates on loopback), B answering on the incoming-call ` +
      `event, A hanging up once audio arrived both ways (or ${AUDIO_TIMEOUT_MS / 1000} s after the 200); ` +
      `${counted('ringlet')} and ${counted('jssip')} calls counted after ${input.warmup} warm-up call(s) each, ` +
      `in rounds alternating which implementation goes first. Each implementation has its own caller and ` +
      `callee page (own browser context), all four registered at once, library defaults otherwise. Kamailio ` +
      `challenges every INVITE (407), so "INVITE sent" is the first, unauthenticated one.`,
    '',
    'How: bench/calls/probe.ts (the same code in both pages) wraps `WebSocket` before the library sees it ' +
      '(outbound frames timed at `send()`, inbound at `message` dispatch), `RTCPeerConnection` and ' +
      '`getUserMedia`. Once the 200 for the INVITE has arrived (A) or left (B) it polls `getStats()` every ' +
      '20 ms for inbound-rtp audio `packetsReceived > 0` and refines the first-packet time with ' +
      '`lastPacketReceivedTimestamp − (packets − 1) × 20 ms`. "On the network" times come from the DevTools ' +
      'protocol (`Network.webSocketFrame*`). All times in ms, on one clock (`performance.timeOrigin + now()`).',
    '',
    ...table(METRICS, samples),
    '',
    '<details><summary>Where the time goes (medians/p90, ms)</summary>',
    '',
    ...table(BREAKDOWN, samples),
    '',
    `- ${probeNote('ringlet')}`,
    `- ${probeNote('jssip')}`,
    '',
    '</details>',
  ];
  const failureLines = [...input.failures].map(([message, count]) => `${count} × ${message}`);
  if (failureLines.length > 0) {
    md.push('', '**Calls not counted, page errors**:', '');
    for (const line of failureLines.slice(0, 12)) md.push(`- ${line.replace(/\|/g, '\\|')}`);
  }
  const consoleText = [
    ...table(METRICS, samples),
    '',
    ...table(BREAKDOWN, samples),
    probeNote('ringlet'),
    probeNote('jssip'),
    `counted: ${counted('ringlet')}, ${counted('jssip')}`,
    ...failureLines.map((line) => `NOT COUNTED ${line}`),
    `${input.seconds.toFixed(0)} s`,
  ].join('\n');
  return { markdown: md.join('\n'), console: consoleText };
}

/** `tsx bench/calls/call-bench.ts [--quick] [--calls=N]`: prints the tables without touching BENCHMARKS.md. */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const callsArg = argv.find((a) => a.startsWith('--calls='))?.slice('--calls='.length);
  runCallBench({ quick: argv.includes('--quick'), ...(callsArg ? { calls: Number(callsArg) } : {}) })
    .then((result) => console.log(result.console))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
