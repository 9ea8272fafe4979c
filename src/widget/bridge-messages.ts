/**
 * The iframe embed's postMessage protocol (HTML Living Standard §9.3 "Cross-document messaging"):
 * the shapes of the messages, the check that turns anything a page posts into a command or a reason
 * to ignore it, and the origin allowlist read from the iframe's URL. Pure.
 *
 * In (host page → iframe), each an object with a `type`:
 *
 * | type | fields |
 * | --- | --- |
 * | `ringlet:call` | `target`: number, user name or SIP address; `requestId?` |
 * | `ringlet:answer` | `requestId?` |
 * | `ringlet:hangup` | `requestId?` |
 * | `ringlet:configure` | `config`: the `<ringlet-phone>` config object; `requestId?` |
 *
 * Out (iframe → host page): `{ type: 'ringlet:ready' }`, `{ type: 'ringlet:event', event, detail }`
 * (`registered`, `incoming`, `call-started`, `call-ended`) and `{ type: 'ringlet:result', requestId,
 * ok, reason? }` for each command.
 */
import type { PhoneEvent } from './phone-api';

export const MESSAGE_PREFIX = 'ringlet:';
export const MAX_TARGET_LENGTH = 256;
export const MAX_REQUEST_ID_LENGTH = 64;
/** Keys a `configure` config may have at most; the config's own parser checks each. */
const MAX_CONFIG_KEYS = 16;
const MAX_ALLOWED_ORIGINS = 16;
const MAX_ORIGIN_LENGTH = 256;

export type BridgeCommand =
  | { readonly type: 'ringlet:call'; readonly target: string; readonly requestId: string | null }
  | { readonly type: 'ringlet:answer'; readonly requestId: string | null }
  | { readonly type: 'ringlet:hangup'; readonly requestId: string | null }
  | {
      readonly type: 'ringlet:configure';
      readonly config: Readonly<Record<string, unknown>>;
      readonly requestId: string | null;
    };

export type BridgeCommandType = BridgeCommand['type'];

const FIELDS: Readonly<Record<BridgeCommandType, readonly string[]>> = {
  'ringlet:call': ['type', 'target', 'requestId'],
  'ringlet:answer': ['type', 'requestId'],
  'ringlet:hangup': ['type', 'requestId'],
  'ringlet:configure': ['type', 'config', 'requestId'],
};

export type CommandCheck =
  | { readonly ok: true; readonly command: BridgeCommand }
  /** `foreign`: not addressed to Ringlet at all (another script's message); ignore quietly. */
  | { readonly ok: false; readonly reason: string; readonly foreign: boolean };

export type BridgeOutMessage =
  | { readonly type: 'ringlet:ready' }
  | {
      readonly type: 'ringlet:event';
      readonly event: PhoneEvent['name'];
      readonly detail: PhoneEvent['detail'];
    }
  | {
      readonly type: 'ringlet:result';
      readonly requestId: string | null;
      readonly command: BridgeCommandType;
      readonly ok: boolean;
      readonly reason?: string;
    };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const reject = (reason: string, foreign = false): CommandCheck => ({ ok: false, reason, foreign });

/**
 * Turns posted data into a command, or says why not. Checks shape before size before content and
 * reads only the few fields a command has (long strings are measured, never scanned), so a huge or
 * hostile payload costs little. Never throws: structured clone delivers plain data without getters,
 * and class instances are rejected before any field is read.
 */
export function checkBridgeCommand(data: unknown): CommandCheck {
  if (!isPlainObject(data)) return reject(`not an object (${data === null ? 'null' : typeof data})`, true);
  const type = data['type'];
  if (typeof type !== 'string' || !type.startsWith(MESSAGE_PREFIX)) return reject('no ringlet: type', true);
  if (!Object.prototype.hasOwnProperty.call(FIELDS, type)) return reject(`unknown type ${type.slice(0, 40)}`);
  const known = FIELDS[type as BridgeCommandType];
  const keys = Object.keys(data);
  if (keys.length > known.length) return reject(`too many fields for ${type}`);
  const unknown = keys.find((key) => !known.includes(key));
  if (unknown !== undefined) return reject(`unknown field ${unknown.slice(0, 40)} for ${type}`);

  const rawId = data['requestId'];
  let requestId: string | null = null;
  if (rawId !== undefined && rawId !== null) {
    if (typeof rawId === 'number' && Number.isSafeInteger(rawId)) requestId = String(rawId);
    else if (typeof rawId === 'string' && rawId.length <= MAX_REQUEST_ID_LENGTH) requestId = rawId;
    else return reject(`requestId must be text of at most ${MAX_REQUEST_ID_LENGTH} characters or an integer`);
  }

  switch (type as BridgeCommandType) {
    case 'ringlet:call': {
      const target = data['target'];
      if (typeof target !== 'string') return reject('ringlet:call needs a target string');
      if (target.length === 0 || target.length > MAX_TARGET_LENGTH) {
        return reject(`target must be 1 to ${MAX_TARGET_LENGTH} characters`);
      }
      return { ok: true, command: { type: 'ringlet:call', target, requestId } };
    }
    case 'ringlet:answer':
      return { ok: true, command: { type: 'ringlet:answer', requestId } };
    case 'ringlet:hangup':
      return { ok: true, command: { type: 'ringlet:hangup', requestId } };
    case 'ringlet:configure': {
      const config = data['config'];
      if (!isPlainObject(config)) return reject('ringlet:configure needs a config object');
      if (Object.keys(config).length > MAX_CONFIG_KEYS) return reject('config has too many fields');
      return { ok: true, command: { type: 'ringlet:configure', config, requestId } };
    }
  }
}

export interface AllowList {
  /** Exact origins (`https://shop.example`, `http://127.0.0.1:5174`). */
  readonly origins: readonly string[];
  /** Entries that were not an origin, shown in the log. */
  readonly rejected: readonly string[];
}

/**
 * Reads `?allow=https://a.example,http://127.0.0.1:5174` from the iframe's query string. Only
 * `http:` and `https:` origins, written as origins (scheme, host, optional port; a trailing `/`
 * is tolerated); `*`, `null`, paths and other schemes are rejected, so no entry can match more
 * than one site.
 */
export function parseAllowList(search: string): AllowList {
  const origins: string[] = [];
  const rejected: string[] = [];
  const param = new URLSearchParams(search).getAll('allow').join(',');
  for (const entry of param
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const origin = originOf(entry);
    if (origin === null || origins.length >= MAX_ALLOWED_ORIGINS) rejected.push(entry.slice(0, 80));
    else if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins, rejected };
}

function originOf(entry: string): string | null {
  if (entry.length > MAX_ORIGIN_LENGTH || !/^https?:\/\/[^/?#*\s]+\/?$/i.test(entry)) return null;
  try {
    const url = new URL(entry);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** Whether a message event's origin may command the phone. */
export function isAllowedOrigin(allow: AllowList, origin: string): boolean {
  return allow.origins.includes(origin);
}
