/**
 * The `<ringlet-phone>` element's configuration: read from its attributes and from its `config`
 * property (which wins), validated into a {@link WidgetConfig}. Pure and total: a page may hand the
 * element anything, and a bad value becomes a problem the widget shows, never an exception.
 *
 * The account fields are validated by the store's own `validateAccount`, so a config that passes
 * builds a user agent the SIP core accepts.
 */
import {
  EMPTY_ACCOUNT_FORM,
  THEMES,
  normaliseDialTarget,
  validateAccount,
  type AccountForm,
  type Theme,
} from '../store/index';

export type WidgetMode = 'phone' | 'button';

export const WIDGET_MODES: readonly WidgetMode[] = ['phone', 'button'];

/** The attributes the element observes; `config` keys are their camelCase forms. */
export const CONFIG_ATTRIBUTES = [
  'server',
  'uri',
  'user',
  'display-name',
  'mode',
  'target',
  'theme',
  'intercept-links',
  'auto-connect',
] as const;

export type ConfigAttribute = (typeof CONFIG_ATTRIBUTES)[number];

/** What the widget runs with. */
export interface WidgetConfig {
  /** Servers, address of record, authorization user, password, display name. */
  readonly account: AccountForm;
  readonly mode: WidgetMode;
  /** The normalised call target of the click-to-call button (`mode: 'button'`), else null. */
  readonly target: string | null;
  readonly theme: Theme;
  /** Connect and register as soon as the config is valid (default true). */
  readonly autoConnect: boolean;
  /** Turn clicks on `sip:` / `tel:` links anywhere in the page into calls (default false). */
  readonly interceptLinks: boolean;
}

export type WidgetConfigResult =
  | { readonly ok: true; readonly config: WidgetConfig }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Keys the `config` property accepts. The password is only accepted here, never as an attribute. */
const CONFIG_KEYS = [
  'server',
  'uri',
  'user',
  'password',
  'displayName',
  'mode',
  'target',
  'theme',
  'interceptLinks',
  'autoConnect',
] as const;

type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Any one text value; longer is not a mistake a person makes, and is not worth rendering back. */
export const MAX_CONFIG_TEXT = 2048;
const MAX_SERVERS = 8;

/** The config key an attribute sets (`display-name` → `displayName`). */
function keyOfAttribute(name: ConfigAttribute): ConfigKey {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()) as ConfigKey;
}

/**
 * The raw values of the element's attributes, keyed like `config`. Boolean attributes follow HTML:
 * present means true, except the literal `"false"`.
 */
export function readConfigAttributes(get: (name: ConfigAttribute) => string | null): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const name of CONFIG_ATTRIBUTES) {
    const value = get(name);
    if (value === null) continue;
    const key = keyOfAttribute(name);
    if (key === 'interceptLinks' || key === 'autoConnect') raw[key] = value.trim().toLowerCase() !== 'false';
    // `server="wss://a/ws wss://b/ws"`: several servers, tried in order.
    else if (key === 'server')
      raw[key] = value
        .trim()
        .split(/[\s,]+/)
        .filter(Boolean);
    else raw[key] = value;
  }
  return raw;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Shows a bad value back to the person: short and on one line. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    // Control characters would break the one-line message.
    // eslint-disable-next-line no-control-regex
    const flat = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
    return JSON.stringify(flat.length > 40 ? `${flat.slice(0, 40)}…` : flat);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

class Problems {
  readonly list: string[] = [];
  add(key: string, message: string): void {
    this.list.push(`${key}: ${message}`);
  }
}

function readText(raw: Record<string, unknown>, key: ConfigKey, problems: Problems): string {
  const value = raw[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') {
    problems.add(key, `expected text, got ${describeValue(value)}`);
    return '';
  }
  if (value.length > MAX_CONFIG_TEXT) {
    problems.add(key, `longer than ${MAX_CONFIG_TEXT} characters`);
    return '';
  }
  return value.trim();
}

function readBoolean(raw: Record<string, unknown>, key: ConfigKey, fallback: boolean, problems: Problems) {
  const value = raw[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  problems.add(key, `expected true or false, got ${describeValue(value)}`);
  return fallback;
}

function readServers(raw: Record<string, unknown>, problems: Problems): string[] {
  const value = raw['server'];
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) {
    problems.add('server', `expected a ws:// or wss:// URL or a list of them, got ${describeValue(value)}`);
    return [];
  }
  if (list.length > MAX_SERVERS) {
    problems.add('server', `at most ${MAX_SERVERS} servers`);
    return [];
  }
  if (list.some((s: string) => s.length > MAX_CONFIG_TEXT)) {
    problems.add('server', `longer than ${MAX_CONFIG_TEXT} characters`);
    return [];
  }
  return list.map((s: string) => s.trim()).filter((s) => s !== '');
}

function readChoice<T extends string>(
  raw: Record<string, unknown>,
  key: ConfigKey,
  choices: readonly T[],
  fallback: T,
  problems: Problems,
): T {
  const text = readText(raw, key, problems);
  if (text === '') return fallback;
  const found = choices.find((c) => c === text.toLowerCase());
  if (!found) problems.add(key, `expected one of ${choices.join(', ')}, got ${describeValue(text)}`);
  return found ?? fallback;
}

/**
 * Merges the attributes' values with the `config` property (property wins, key by key) and validates
 * the result. Pure; never throws.
 */
export function parseWidgetConfig(
  fromAttributes: Record<string, unknown>,
  property: unknown,
): WidgetConfigResult {
  const problems = new Problems();
  let fromProperty: Record<string, unknown> = {};
  if (property !== undefined && property !== null) {
    if (isPlainObject(property)) fromProperty = property;
    else problems.add('config', `expected an object, got ${describeValue(property)}`);
  }
  for (const key of Object.keys(fromProperty)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      problems.add('config', `unknown option ${describeValue(key)} (known: ${CONFIG_KEYS.join(', ')})`);
    }
  }
  const raw: Record<string, unknown> = { ...fromAttributes };
  for (const key of CONFIG_KEYS) if (fromProperty[key] !== undefined) raw[key] = fromProperty[key];

  const account: AccountForm = {
    ...EMPTY_ACCOUNT_FORM,
    servers: readServers(raw, problems),
    uri: readText(raw, 'uri', problems),
    authorizationUser: readText(raw, 'user', problems),
    // Passwords are kept as typed: spaces may be part of them.
    password: typeof raw['password'] === 'string' ? raw['password'] : readText(raw, 'password', problems),
    displayName: readText(raw, 'displayName', problems),
  };
  if (account.servers.length === 0)
    problems.add('server', 'enter the ws:// or wss:// URL of your SIP server');
  else if (account.uri === '') problems.add('uri', 'enter your SIP address, like sip:alice@example.com');
  else {
    for (const [path, error] of Object.entries(validateAccount(account))) {
      // The form's field paths (`servers.0`) named after the widget's options.
      const key = path.startsWith('servers') ? 'server' : path === 'authorizationUser' ? 'user' : path;
      problems.add(key, error.message);
    }
  }

  const mode = readChoice(raw, 'mode', WIDGET_MODES, 'phone', problems);
  const theme = readChoice(raw, 'theme', THEMES, 'system', problems);
  const targetText = readText(raw, 'target', problems);
  let target: string | null = null;
  if (targetText !== '') {
    const normalised = normaliseDialTarget(targetText);
    if (normalised.ok) target = normalised.target;
    else problems.add('target', `not a number or SIP address: ${describeValue(targetText)}`);
  } else if (mode === 'button') {
    problems.add('target', 'the click-to-call button needs a target, like sip:sales@example.com');
  }
  const autoConnect = readBoolean(raw, 'autoConnect', true, problems);
  const interceptLinks = readBoolean(raw, 'interceptLinks', false, problems);

  if (problems.list.length > 0) return { ok: false, problems: problems.list };
  return { ok: true, config: { account, mode, target, theme, autoConnect, interceptLinks } };
}
