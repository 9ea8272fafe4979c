/**
 * Starts a real Kamailio (Debian's `kamailio` + `kamailio-websocket-modules`) on loopback for
 * integration and end-to-end tests, using test/kamailio/kamailio.cfg.
 *
 * Each start gets a runtime directory under os.tmpdir() holding the config, the generated
 * users file, the pid file and the log (`kamailio.log`), so a failing test can point at it.
 * Ports are free ports on 127.0.0.1 picked by the OS, unless given; `restart()` reuses them so
 * clients can reconnect to the same URLs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  copyFileSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

/** The SIP domain of the test users (sip:alice@ringlet.test) and their digest realm. */
export const TEST_DOMAIN = 'ringlet.test';

/** Default test users: name => password. */
export const DEFAULT_USERS: Readonly<Record<string, string>> = Object.freeze({
  alice: 'alice-secret',
  bob: 'bob-secret',
  carol: 'carol-secret',
  dave: 'dave-secret',
});

export interface KamailioOptions {
  /** Users to create (name => password); defaults to {@link DEFAULT_USERS}. */
  users?: Record<string, string>;
  /** Two listener ports on 127.0.0.1; by default two free ports are picked. */
  ports?: readonly [number, number];
  /** Kamailio log level (2 notice … 3 info, 4 debug); defaults to 2, or KAMAILIO_DEBUG. */
  logLevel?: number;
  /** How long to wait for the WebSocket listeners to accept a `sip` upgrade; default 15 s. */
  startTimeoutMs?: number;
  /** Path of the kamailio binary; default KAMAILIO_BIN, then the usual locations and PATH. */
  binary?: string;
}

export interface KamailioServer {
  /** ws:// URLs of the two listeners, same order as `ports`. */
  wsUrls: string[];
  ports: number[];
  /** Digest realm, equal to the SIP domain. */
  realm: string;
  domain: string;
  users: Record<string, string>;
  runtimeDir: string;
  logFile: string;
  /** Terminates Kamailio and waits for it to exit (idempotent). */
  stop(): Promise<void>;
  /** Stops and starts again on the same ports; registrations are forgotten. */
  restart(): Promise<void>;
  /** The log written so far, for failure messages. */
  readLog(): string;
}

/** Thrown when the environment cannot run Kamailio (binary or modules missing). */
export class KamailioUnavailableError extends Error {
  override readonly name = 'KamailioUnavailableError';
}

/** Thrown when Kamailio exits early or does not accept WebSocket upgrades in time. */
export class KamailioStartError extends Error {
  override readonly name = 'KamailioStartError';
}

const HERE = dirname(fileURLToPath(import.meta.url));
const CONFIG_TEMPLATE = join(HERE, 'kamailio.cfg');
const SETUP_HINT = 'Run `npm run setup:test` (installs kamailio, kamailio-websocket-modules and chromium).';
// Names and passwords end up inside a Kamailio config string literal: keep them boring.
const SAFE_TOKEN = /^[A-Za-z0-9._~+-]+$/;

/** Locates the kamailio binary or throws {@link KamailioUnavailableError} with the setup hint. */
export function findKamailioBinary(explicit?: string): string {
  const candidates = [
    explicit,
    process.env['KAMAILIO_BIN'],
    '/usr/sbin/kamailio',
    '/usr/local/sbin/kamailio',
    ...(process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, 'kamailio')),
  ].filter((c): c is string => typeof c === 'string' && c.length > 0);
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new KamailioUnavailableError(`kamailio binary not found. ${SETUP_HINT}`);
}

/** Two distinct free TCP ports on 127.0.0.1 (held open together so the OS cannot repeat one). */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

function usersFile(users: Record<string, string>): string {
  const lines = Object.entries(users).map(([name, password]) => {
    if (!SAFE_TOKEN.test(name) || !SAFE_TOKEN.test(password)) {
      throw new TypeError(
        `test user ${JSON.stringify(name)}: use only [A-Za-z0-9._~+-] in names and passwords`,
      );
    }
    return `\t$sht(users=>${name}) = "${password}";`;
  });
  return `# Generated by kamailio-server.ts\nevent_route[htable:mod-init] {\n${lines.join('\n')}\n}\n`;
}

/** Resolves when a `sip` WebSocket upgrade succeeds on `url`, rejects on any failure. */
function probeSipUpgrade(url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'sip', { handshakeTimeout: timeoutMs });
    const done = (error?: Error): void => {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      if (error) reject(error);
      else resolve();
    };
    ws.once('open', () =>
      ws.protocol === 'sip' ? done() : done(new Error(`subprotocol ${JSON.stringify(ws.protocol)}`)),
    );
    ws.once('error', (e) => done(e));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Starts Kamailio; see the module doc. Stop it with `stop()` (e.g. in afterAll). */
export async function startKamailio(opts: KamailioOptions = {}): Promise<KamailioServer> {
  const binary = findKamailioBinary(opts.binary);
  const users = { ...(opts.users ?? DEFAULT_USERS) };
  const ports = opts.ports ? [...opts.ports] : await findFreePorts(2);
  const logLevel = opts.logLevel ?? Number(process.env['KAMAILIO_DEBUG'] ?? 2);
  const startTimeoutMs = opts.startTimeoutMs ?? 15_000;
  const [portA, portB] = ports as [number, number];
  const wsUrls = ports.map((p) => `ws://127.0.0.1:${p}`);

  const runtimeDir = mkdtempSync(join(tmpdir(), 'ringlet-kamailio-'));
  const cfgFile = join(runtimeDir, 'kamailio.cfg');
  const pidFile = join(runtimeDir, 'kamailio.pid');
  const logFile = join(runtimeDir, 'kamailio.log');
  copyFileSync(CONFIG_TEMPLATE, cfgFile);
  writeFileSync(join(runtimeDir, 'users.cfg'), usersFile(users));

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const readLog = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };

  const killGroup = (signal: NodeJS.Signals, evenAfterExit = false): void => {
    if (child?.pid === undefined) return;
    if (!evenAfterExit && (child.exitCode !== null || child.signalCode !== null)) return;
    try {
      // Negative pid: the whole process group (main process and its forked workers).
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // If the test process dies without stop(), do not leave Kamailio holding the ports.
  const onExit = (): void => killGroup('SIGKILL');

  const launch = async (): Promise<void> => {
    const logFd = openSync(logFile, 'a');
    const args = [
      '-DD', // stay in the foreground (children are still forked)
      '-E', // log to stderr, which goes to the log file
      '-f',
      cfgFile,
      '-m',
      '32', // shared memory, MB: ample for a few users
      '-M',
      '4', // private memory per process, MB
      '-P',
      pidFile,
      '-Y',
      runtimeDir,
      '-w',
      runtimeDir,
      '-A',
      `WS_PORT_A=${portA}`,
      '-A',
      `WS_PORT_B=${portB}`,
      `--debug=${logLevel}`,
    ];
    const proc = spawn(binary, args, { cwd: runtimeDir, stdio: ['ignore', logFd, logFd], detached: true });
    closeSync(logFd);
    child = proc;
    let exitCode: number | null | undefined;
    exited = new Promise<void>((resolve) => {
      proc.once('exit', (code) => {
        exitCode = code;
        resolve();
      });
      proc.once('error', () => {
        exitCode = -1;
        resolve();
      });
    });
    process.once('exit', onExit);

    const deadline = Date.now() + startTimeoutMs;
    let lastError: unknown;
    for (;;) {
      if (exitCode !== undefined) {
        throw new KamailioStartError(
          `kamailio exited (code ${String(exitCode)}) during start-up. Log ${logFile}:\n${tail(readLog())}` +
            (/could not open module|websocket\.so/.test(readLog()) ? `\n${SETUP_HINT}` : ''),
        );
      }
      try {
        await Promise.all(wsUrls.map((u) => probeSipUpgrade(u, 1000)));
        return;
      } catch (e) {
        lastError = e;
      }
      if (Date.now() > deadline) {
        await stopNow();
        throw new KamailioStartError(
          `kamailio did not accept a sip WebSocket upgrade on ${wsUrls.join(', ')} within ${startTimeoutMs} ms ` +
            `(${String(lastError)}). Log ${logFile}:\n${tail(readLog())}`,
        );
      }
      await sleep(100);
    }
  };

  const stopNow = async (): Promise<void> => {
    if (!child) return;
    killGroup('SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
    if (timedOut) {
      killGroup('SIGKILL');
      await exited;
    }
    // The workers share the group (whose id stays reserved while any of them lives): make sure
    // none outlives the main process.
    killGroup('SIGKILL', true);
    process.removeListener('exit', onExit);
    child = undefined;
  };

  await launch();

  return {
    wsUrls,
    ports,
    realm: TEST_DOMAIN,
    domain: TEST_DOMAIN,
    users,
    runtimeDir,
    logFile,
    readLog,
    stop: async () => {
      await stopNow();
    },
    restart: async () => {
      await stopNow();
      await launch();
    },
  };
}

/** Removes a runtime directory (kept by default so logs survive a failed run). */
export function removeRuntimeDir(server: Pick<KamailioServer, 'runtimeDir'>): void {
  rmSync(server.runtimeDir, { recursive: true, force: true });
}
