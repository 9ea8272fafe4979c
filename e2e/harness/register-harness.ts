/**
 * The registration harness page (register.html): one UserAgent (see README.md, "Using the SIP core") driven
 * by three buttons, its RegistrationStatus in a `role="status"` element and the UA's log sink
 * in a `<pre role="log">`. Playwright (e2e/register.spec.ts) drives it against a real Kamailio.
 *
 * The page takes its configuration from the query string, which is untrusted: every parameter
 * is validated up front, a bad or missing one is reported in the status and leaves the buttons
 * disabled, and no user action can end in an uncaught exception or rejection.
 *
 * The trace shows exactly what the core hands to its log sink, unfiltered: the tests assert that
 * the core itself kept the password and the digest response out of it, so the harness must not
 * redact anything on its behalf.
 */
import { createLogger, parseUri } from '../../src/sip/index';
import type { RegistrationStatus, UserAgentOptions } from '../../src/sip/index';

/** The part of the UserAgent contract the harness drives. */
export interface HarnessUserAgent {
  on(event: 'registration', listener: (status: RegistrationStatus) => void): unknown;
  on(event: 'transport', listener: (state: TransportState, server?: string) => void): unknown;
  start(): Promise<void>;
  register(): Promise<RegistrationStatus>;
  unregister(): Promise<unknown>;
  stop(): Promise<unknown>;
  readonly registration: RegistrationStatus;
}

export type TransportState = 'disconnected' | 'connecting' | 'connected' | 'closing';

export type CreateUserAgent = (options: UserAgentOptions) => HarnessUserAgent;

/** What the page learned from its URL; never holds anything it did not validate. */
export interface HarnessConfig {
  servers: string[];
  uri: string;
  authorizationUser?: string;
  password: string;
  displayName?: string;
  registerExpires?: number;
}

export type ConfigResult = { ok: true; config: HarnessConfig } | { ok: false; problems: string[] };

/** Raw SIP text the page put on the wire, kept for the tests (never shown: it holds digests). */
export interface WireTap {
  readonly sent: string[];
}

declare global {
  interface Window {
    /** Test hook read by e2e/register.spec.ts through `page.evaluate`. */
    ringletHarness?: { wire: WireTap };
  }
}

// Query strings are not a place for essays: anything longer is rejected, not truncated.
const MAX_PARAM_LENGTH = 1024;
// RFC 3261 §20.19: delta-seconds, at most 2^32 - 1.
const MAX_EXPIRES = 4_294_967_295;

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function readText(
  params: URLSearchParams,
  name: string,
  problems: string[],
  required: boolean,
): string | undefined {
  const value = params.get(name);
  if (value === null) {
    if (required) problems.push(`missing parameter "${name}"`);
    return undefined;
  }
  if (value.length === 0 || value.length > MAX_PARAM_LENGTH || hasControlCharacter(value)) {
    problems.push(`parameter "${name}" must be 1 to ${MAX_PARAM_LENGTH} printable characters`);
    return undefined;
  }
  return value;
}

/**
 * Validates the query string. Parameters: `ws` (one or more ws:/wss: URLs, in failover order),
 * `uri` (a sip:/sips: address of record with a user part), `password`, and optionally `user`
 * (authorization user), `name` (display name) and `expires` (seconds asked for).
 */
export function readConfig(search: string): ConfigResult {
  const params = new URLSearchParams(search);
  const problems: string[] = [];

  const servers: string[] = [];
  const wsValues = params.getAll('ws');
  if (wsValues.length === 0) problems.push('missing parameter "ws"');
  for (const value of wsValues) {
    let url: URL | undefined;
    try {
      url = value.length <= MAX_PARAM_LENGTH ? new URL(value) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
      problems.push('parameter "ws" must be a ws:// or wss:// URL');
    } else {
      servers.push(url.href);
    }
  }

  const uri = readText(params, 'uri', problems, true);
  if (uri !== undefined) {
    const parsed = parseUri(uri);
    const sipWithUser =
      parsed.ok &&
      (parsed.value.scheme === 'sip' || parsed.value.scheme === 'sips') &&
      'user' in parsed.value &&
      typeof parsed.value.user === 'string' &&
      parsed.value.user.length > 0;
    if (!sipWithUser) problems.push('parameter "uri" must be a sip: or sips: URI with a user part');
  }

  const password = readText(params, 'password', problems, true);
  const authorizationUser = readText(params, 'user', problems, false);
  const displayName = readText(params, 'name', problems, false);

  let registerExpires: number | undefined;
  const expiresText = readText(params, 'expires', problems, false);
  if (expiresText !== undefined) {
    registerExpires = /^[0-9]{1,10}$/.test(expiresText) ? Number(expiresText) : NaN;
    if (!(registerExpires >= 1 && registerExpires <= MAX_EXPIRES)) {
      problems.push(`parameter "expires" must be an integer from 1 to ${MAX_EXPIRES}`);
    }
  }

  if (problems.length > 0 || uri === undefined || password === undefined) {
    return { ok: false, problems };
  }
  const config: HarnessConfig = { servers, uri, password };
  if (authorizationUser !== undefined) config.authorizationUser = authorizationUser;
  if (displayName !== undefined) config.displayName = displayName;
  if (registerExpires !== undefined) config.registerExpires = registerExpires;
  return { ok: true, config };
}

/** The status line the tests read, e.g. `registered (expires 600)`, `failed: auth-failed 401 Unauthorized`. */
export function formatStatus(status: RegistrationStatus): string {
  switch (status.state) {
    case 'registered':
      return `registered (expires ${status.expires})`;
    case 'failed':
      return ['failed:', status.cause, status.status, status.reason]
        .filter((part) => part !== undefined && part !== '')
        .join(' ');
    default:
      return status.state;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** A WebSocket class that reports every text frame the page sends, then sends it unchanged. */
function tappedWebSocket(onSend: (text: string) => void): typeof WebSocket {
  return class TappedWebSocket extends WebSocket {
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      super.send(data);
      if (typeof data === 'string') onSend(data);
    }
  };
}

function element<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const found = doc.getElementById(id);
  if (!(found instanceof type)) throw new Error(`register.html is missing #${id}`);
  return found;
}

/** Wires register.html to a UserAgent made by `createUserAgent`. */
export function mountRegisterHarness(doc: Document, search: string, createUserAgent: CreateUserAgent): void {
  const status = element(doc, 'registration-status', HTMLElement);
  const transport = element(doc, 'transport-state', HTMLElement);
  const alert = element(doc, 'harness-error', HTMLElement);
  const trace = element(doc, 'sip-trace', HTMLPreElement);
  const settings = element(doc, 'settings', HTMLElement);
  const registerCount = element(doc, 'register-count', HTMLElement);
  const buttons = {
    register: element(doc, 'register', HTMLButtonElement),
    unregister: element(doc, 'unregister', HTMLButtonElement),
    stop: element(doc, 'stop', HTMLButtonElement),
  };
  const setButtons = (enabled: boolean): void => {
    for (const button of Object.values(buttons)) button.disabled = !enabled;
  };
  const showError = (text: string | undefined): void => {
    alert.textContent = text ?? '';
    alert.hidden = text === undefined;
  };

  setButtons(false);
  const result = readConfig(search);
  if (!result.ok) {
    status.textContent = `not configured: ${result.problems.join('; ')}`;
    return;
  }
  const { config } = result;

  // Never the password: only what identifies the account and the servers.
  const shown: [string, string][] = [
    ['Servers', config.servers.join(', ')],
    ['Address of record', config.uri],
    ['Authorization user', config.authorizationUser ?? '(from the address of record)'],
  ];
  if (config.registerExpires !== undefined) shown.push(['Expires asked', String(config.registerExpires)]);
  for (const [term, description] of shown) {
    const dt = doc.createElement('dt');
    dt.textContent = term;
    const dd = doc.createElement('dd');
    dd.textContent = description;
    settings.append(dt, dd);
  }

  const wire: WireTap = { sent: [] };
  window.ringletHarness = { wire };
  const WireSocket = tappedWebSocket((text) => {
    wire.sent.push(text);
    registerCount.textContent = String(wire.sent.filter((sent) => sent.startsWith('REGISTER ')).length);
  });

  const createWired = (): HarnessUserAgent => {
    const created = createUserAgent({
      ...config,
      WebSocket: WireSocket,
      logger: createLogger(
        (record) => {
          trace.append(`${record.level} ${record.category}: ${record.message}\n`);
        },
        'ringlet',
        'debug',
      ),
    });
    created.on('registration', (next) => {
      status.textContent = formatStatus(next);
    });
    created.on('transport', (state, server) => {
      transport.textContent =
        server !== undefined && state !== 'disconnected' ? `${state} (${server})` : state;
    });
    return created;
  };

  // A stopped UserAgent is finished; Register after Stop starts a new one with the same settings.
  let ua: HarnessUserAgent | undefined;
  try {
    ua = createWired();
  } catch (error) {
    status.textContent = `not configured: ${describeError(error)}`;
    return;
  }
  status.textContent = formatStatus(ua.registration);
  transport.textContent = 'disconnected';

  // One action at a time, and every failure ends up on screen rather than as an unhandled rejection.
  const run = (action: () => Promise<void>): void => {
    setButtons(false);
    showError(undefined);
    action()
      .catch((error: unknown) => showError(describeError(error)))
      .finally(() => setButtons(true));
  };
  let started = false;
  buttons.register.addEventListener('click', () =>
    run(async () => {
      ua ??= createWired();
      if (!started) {
        await ua.start();
        started = true;
      }
      await ua.register();
    }),
  );
  buttons.unregister.addEventListener('click', () =>
    run(async () => {
      if (!ua) throw new Error('stopped: press Register to start again');
      await ua.unregister();
    }),
  );
  buttons.stop.addEventListener('click', () =>
    run(async () => {
      const stopping = ua;
      ua = undefined;
      started = false;
      await stopping?.stop();
    }),
  );
  setButtons(true);
}
