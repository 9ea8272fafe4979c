/**
 * Account slice: the settings form (a draft kept until saved, so nothing typed is lost), the saved
 * account, `testConnection()` with a throwaway UA, and `connect()` / `disconnect()` of the real one.
 *
 * The password is persisted only when `rememberPassword` is on; otherwise it lives in memory for this
 * session and the person types it again after a reload.
 */
import type { RegistrationStatus } from '../../../sip/index';
import { connectAccount, disconnectAccount } from '../../connection';
import type { SliceContext } from '../../phone-state';
import type { UserAgentLike } from '../../ports/user-agent';
import { isRecord, readBoolean, readString } from '../../support/guards';
import { errorText, type StoreLogger } from '../../support/log';
import { NO_ERRORS, hasErrors, type FieldErrors, type SaveResult } from '../../support/validation';
import {
  EMPTY_ACCOUNT_FORM,
  normaliseAccount,
  validateAccount,
  type AccountForm,
  type IceServerForm,
} from './validate-account';

export type { AccountForm, IceServerForm } from './validate-account';

export type ConnectionTestResult =
  | { readonly outcome: 'ok' }
  | { readonly outcome: 'invalid'; readonly errors: FieldErrors }
  | { readonly outcome: 'cannot-connect'; readonly reason: string }
  | { readonly outcome: 'wrong-password'; readonly reason: string }
  | { readonly outcome: 'server-refused'; readonly status: number | null; readonly reason: string };

export type ConnectionTest =
  | { readonly status: 'idle' }
  | { readonly status: 'testing' }
  | { readonly status: 'done'; readonly result: ConnectionTestResult };

export interface AccountData {
  /** The account in use, or null before the first save. */
  readonly saved: AccountForm | null;
  /** The form as typed. */
  readonly draft: AccountForm;
  /** The draft differs from what was saved. */
  readonly dirty: boolean;
  /** Set by a save or test attempt, then kept current while the person types. */
  readonly errors: FieldErrors;
  readonly test: ConnectionTest;
  /** RFC 5626 `+sip.instance` of this device, created on the first save and kept. */
  readonly instanceId: string | null;
}

export interface AccountSlice extends AccountData {
  editDraft(patch: Partial<AccountForm>): void;
  editServer(index: number, url: string): void;
  addServer(): void;
  removeServer(index: number): void;
  editIceServer(index: number, patch: Partial<IceServerForm>): void;
  addIceServer(): void;
  removeIceServer(index: number): void;
  /** Puts the saved account back into the form. */
  revertDraft(): void;
  /** Validates the draft and makes it the account; on errors the draft stays as typed. */
  save(): SaveResult;
  /**
   * Checks the draft against the server with a throwaway UA (its own instance id, so the real
   * binding is untouched): connect, register, unregister. Never rejects.
   */
  testConnection(): Promise<ConnectionTestResult>;
  /** Connects and registers the saved account; rejects with InvalidStateError when none is saved. */
  connect(): Promise<RegistrationStatus>;
  /** Unregisters and disconnects; ends live calls. Never rejects. */
  disconnect(): Promise<void>;
  /** Disconnects and removes the account from this device. */
  forget(): Promise<void>;
}

/** The stored form of the account: the password only when the person asked to remember it. */
export interface AccountRecord {
  readonly form: AccountForm | null;
  readonly instanceId: string | null;
}

export function toAccountRecord(data: Pick<AccountData, 'saved' | 'instanceId'>): AccountRecord {
  const form = data.saved && {
    ...data.saved,
    password: data.saved.rememberPassword ? data.saved.password : '',
    iceServers: data.saved.iceServers.map((ice) => ({ ...ice })),
    servers: [...data.saved.servers],
  };
  return { form, instanceId: data.instanceId };
}

function readIceServer(value: unknown): IceServerForm | undefined {
  if (!isRecord(value)) return undefined;
  const urls = readString(value, 'urls', 500);
  const username = readString(value, 'username', 500);
  const credential = readString(value, 'credential', 500);
  return urls !== undefined && username !== undefined && credential !== undefined
    ? { urls, username, credential }
    : undefined;
}

function readAccountForm(value: unknown): AccountForm | undefined {
  if (!isRecord(value)) return undefined;
  const servers = value['servers'];
  const ice = value['iceServers'];
  if (!Array.isArray(servers) || !Array.isArray(ice) || servers.length > 20 || ice.length > 20)
    return undefined;
  if (!servers.every((s): s is string => typeof s === 'string' && s.length <= 2048)) return undefined;
  const iceServers = ice.map(readIceServer);
  if (!iceServers.every((x): x is IceServerForm => x !== undefined)) return undefined;
  const uri = readString(value, 'uri', 1000);
  const authorizationUser = readString(value, 'authorizationUser', 500);
  const password = readString(value, 'password', 1000);
  const rememberPassword = readBoolean(value, 'rememberPassword');
  const displayName = readString(value, 'displayName', 500);
  if (
    uri === undefined ||
    authorizationUser === undefined ||
    password === undefined ||
    rememberPassword === undefined ||
    displayName === undefined
  ) {
    return undefined;
  }
  return {
    servers,
    uri,
    authorizationUser,
    // A record written before "remember" was turned off must not resurrect the password.
    password: rememberPassword ? password : '',
    rememberPassword,
    displayName,
    iceServers,
  };
}

/** A stored account record, validated; `undefined` (dropped by the caller with a log line) when corrupt. */
export function readAccountRecord(value: unknown, _log: StoreLogger): AccountRecord | undefined {
  if (!isRecord(value)) return undefined;
  const instanceId = value['instanceId'] === null ? null : readString(value, 'instanceId', 200);
  if (instanceId === undefined) return undefined;
  if (value['form'] === null) return { form: null, instanceId };
  const form = readAccountForm(value['form']);
  return form ? { form, instanceId } : undefined;
}

/** What a finished registration attempt means for the person testing the account; pure. */
export function testResultOf(status: RegistrationStatus): ConnectionTestResult {
  switch (status.state) {
    case 'registered':
      return { outcome: 'ok' };
    case 'failed':
      switch (status.cause) {
        case 'auth-failed':
          return { outcome: 'wrong-password', reason: status.reason };
        case 'rejected':
          return { outcome: 'server-refused', status: status.status ?? null, reason: status.reason };
        case 'timeout':
        case 'transport':
          return { outcome: 'cannot-connect', reason: status.reason };
      }
      break;
    default:
      break;
  }
  return { outcome: 'cannot-connect', reason: `registration ended ${status.state}` };
}

function sameForm(a: AccountForm | null, b: AccountForm): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

export function createAccountSlice(ctx: SliceContext): AccountSlice {
  const log = ctx.log.child('account');
  let testToken = 0;

  const setDraft = (fn: (draft: AccountForm) => AccountForm): void => {
    const account = ctx.get().account;
    const draft = fn(account.draft);
    // Once an attempt showed errors, keep them current as the person fixes the fields.
    const errors = hasErrors(account.errors) ? validateAccount(draft) : NO_ERRORS;
    ctx.update('account', { draft, errors, dirty: !sameForm(account.saved, draft) });
  };
  const replaceAt = <T>(list: readonly T[], index: number, value: T): T[] =>
    list.map((item, i) => (i === index ? value : item));

  /** connect → register → unregister with a throwaway UA; pure outcome, no timeout. */
  const probeSteps = async (ua: UserAgentLike): Promise<ConnectionTestResult> => {
    try {
      await ua.start();
    } catch (error) {
      return { outcome: 'cannot-connect', reason: errorText(error) };
    }
    const result = testResultOf(await ua.register());
    if (result.outcome === 'ok') await ua.unregister();
    return result;
  };

  const probe = async (form: AccountForm): Promise<ConnectionTestResult> => {
    let ua: UserAgentLike;
    try {
      // NOTE: a fresh instance id, so REGISTER/unREGISTER of the probe never touches the real
      // account's binding (RFC 5626 §4.2: one binding per instance and reg-id).
      ua = ctx.open(form, `urn:uuid:${ctx.ids()}`, false).ua;
    } catch (error) {
      return { outcome: 'cannot-connect', reason: errorText(error) };
    }
    // The core keeps retrying an unreachable server (with back-off) rather than failing start(), so
    // the test bounds the whole check itself.
    let timer: unknown;
    const seconds = Math.round(ctx.connectionTestTimeoutMs / 1000);
    const timedOut = new Promise<ConnectionTestResult>((resolve) => {
      timer = ctx.timers.setTimeout(
        () => resolve({ outcome: 'cannot-connect', reason: `No answer from the server within ${seconds} s` }),
        ctx.connectionTestTimeoutMs,
      );
    });
    try {
      return await Promise.race([
        probeSteps(ua).catch(
          (error: unknown) => ({ outcome: 'cannot-connect', reason: errorText(error) }) as const,
        ),
        timedOut,
      ]);
    } finally {
      ctx.timers.clearTimeout(timer);
      await ua
        .stop()
        .catch((error: unknown) => log.warn('testConnection() | stop failed', { error: errorText(error) }));
    }
  };

  return {
    saved: null,
    draft: EMPTY_ACCOUNT_FORM,
    dirty: false,
    errors: NO_ERRORS,
    test: { status: 'idle' },
    instanceId: null,

    editDraft(patch) {
      setDraft((d) => ({ ...d, ...patch }));
    },
    editServer(index, url) {
      setDraft((d) => ({ ...d, servers: replaceAt(d.servers, index, url) }));
    },
    addServer() {
      setDraft((d) => ({ ...d, servers: [...d.servers, ''] }));
    },
    removeServer(index) {
      setDraft((d) => {
        const servers = d.servers.filter((_, i) => i !== index);
        return { ...d, servers: servers.length ? servers : [''] };
      });
    },
    editIceServer(index, patch) {
      setDraft((d) => {
        const current = d.iceServers[index];
        return current ? { ...d, iceServers: replaceAt(d.iceServers, index, { ...current, ...patch }) } : d;
      });
    },
    addIceServer() {
      setDraft((d) => ({ ...d, iceServers: [...d.iceServers, { urls: '', username: '', credential: '' }] }));
    },
    removeIceServer(index) {
      setDraft((d) => ({ ...d, iceServers: d.iceServers.filter((_, i) => i !== index) }));
    },

    revertDraft() {
      const saved = ctx.get().account.saved;
      ctx.update('account', { draft: saved ?? EMPTY_ACCOUNT_FORM, dirty: false, errors: NO_ERRORS });
    },

    save() {
      const account = ctx.get().account;
      const errors = validateAccount(account.draft);
      if (hasErrors(errors)) {
        ctx.update('account', { errors });
        return { ok: false, errors };
      }
      const saved = normaliseAccount(account.draft);
      ctx.update('account', {
        saved,
        draft: saved,
        dirty: false,
        errors: NO_ERRORS,
        instanceId: account.instanceId ?? `urn:uuid:${ctx.ids()}`,
      });
      return { ok: true };
    },

    async testConnection() {
      const draft = ctx.get().account.draft;
      const errors = validateAccount(draft);
      const token = ++testToken;
      if (hasErrors(errors)) {
        const result: ConnectionTestResult = { outcome: 'invalid', errors };
        ctx.update('account', { errors, test: { status: 'done', result } });
        return result;
      }
      ctx.update('account', { test: { status: 'testing' } });
      const result = await probe(normaliseAccount(draft));
      log.info('testConnection() | done', { outcome: result.outcome });
      // Only the latest test speaks.
      if (token === testToken) ctx.update('account', { test: { status: 'done', result } });
      return result;
    },

    connect() {
      return connectAccount(ctx);
    },

    disconnect() {
      return disconnectAccount(ctx);
    },

    async forget() {
      await disconnectAccount(ctx);
      ctx.update('account', {
        saved: null,
        draft: EMPTY_ACCOUNT_FORM,
        dirty: false,
        errors: NO_ERRORS,
        test: { status: 'idle' },
      });
    },
  };
}
