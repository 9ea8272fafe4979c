/**
 * Builds a phone store for tests: fake UA factory, fake call engine, manual clock, counting ids,
 * in-memory storage (or the one given), log lines collected.
 */
import type { LogRecord } from '../../sip/index';
import { createPhoneStore, type PhoneStore, type PhoneStoreDeps } from '../create-phone-store';
import type { UserAgentLike } from '../ports/user-agent';
import { createMemoryStorage, type PersistenceStorage } from '../persistence/storage';
import type { MediaDevicesPort } from '../ports/media-devices';
import type { AccountForm } from '../slices/account/validate-account';
import { FakeCallEngine } from './fake-call-engine';
import { FakeUserAgent, type FakeUserAgentScript } from './fake-user-agent';

export const START_TIME = Date.UTC(2025, 0, 15, 9, 0, 0);

export const VALID_ACCOUNT: AccountForm = {
  servers: ['wss://pbx.example.com:8089/ws'],
  uri: 'sip:alice@example.com',
  authorizationUser: '',
  password: 'alice-secret',
  rememberPassword: false,
  displayName: 'Alice',
  iceServers: [],
};

export interface TestPhone {
  readonly store: PhoneStore;
  readonly storage: PersistenceStorage;
  /** Advancing fires the store's timers that fall due. */
  readonly clock: { now(): number; advance(ms: number): void };
  /** Every UA the store created, in order (probes included). */
  readonly userAgents: FakeUserAgent[];
  readonly engines: FakeCallEngine[];
  readonly logs: LogRecord[];
  /** The UA script used for the next UA created; tests may change it. */
  script: FakeUserAgentScript;
}

export interface TestPhoneOptions {
  readonly storage?: PersistenceStorage;
  readonly script?: FakeUserAgentScript;
  readonly mediaDevices?: MediaDevicesPort;
  readonly withEngine?: boolean;
  readonly createUserAgent?: PhoneStoreDeps<UserAgentLike>['createUserAgent'];
}

export function createTestPhone(options: TestPhoneOptions = {}): TestPhone {
  let now = START_TIME;
  let id = 0;
  const userAgents: FakeUserAgent[] = [];
  const engines: FakeCallEngine[] = [];
  const logs: LogRecord[] = [];
  const storage = options.storage ?? createMemoryStorage();
  // Timers fire when the test advances the clock past them.
  let timerId = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const advance = (ms: number): void => {
    const until = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].callback();
    }
    now = until;
  };
  const phone: Omit<TestPhone, 'store'> & { store?: PhoneStore } = {
    storage,
    clock: { now: () => now, advance },
    userAgents,
    engines,
    logs,
    script: options.script ?? {},
  };
  phone.store = createPhoneStore<UserAgentLike>({
    createUserAgent:
      options.createUserAgent ??
      ((uaOptions) => {
        const ua = new FakeUserAgent(uaOptions, phone.script);
        userAgents.push(ua);
        return ua;
      }),
    ...(options.withEngine === false
      ? {}
      : {
          createCallEngine: () => {
            const engine = new FakeCallEngine();
            engines.push(engine);
            return engine;
          },
        }),
    storage,
    clock: phone.clock,
    timers: {
      setTimeout: (callback, ms) => {
        timers.set(++timerId, { at: now + ms, callback });
        return timerId;
      },
      clearTimeout: (handle) => void timers.delete(handle as number),
    },
    ids: () => `id-${++id}`,
    log: (record) => logs.push(record),
    ...(options.mediaDevices ? { mediaDevices: options.mediaDevices } : {}),
  });
  return phone as TestPhone;
}

/** Types a valid account into the form and saves it. */
export function saveAccount(phone: TestPhone, form: Partial<AccountForm> = {}): void {
  const account = phone.store.getState().account;
  account.editDraft({ ...VALID_ACCOUNT, ...form });
  const result = phone.store.getState().account.save();
  if (!result.ok) throw new Error(`test account invalid: ${JSON.stringify(result.errors)}`);
}

/** A connected account with a call engine; returns that engine. */
export async function connectedPhone(
  options: TestPhoneOptions = {},
): Promise<TestPhone & { engine: FakeCallEngine }> {
  const phone = createTestPhone(options);
  await phone.store.ready;
  saveAccount(phone);
  await phone.store.getState().account.connect();
  const engine = phone.engines.at(-1);
  if (!engine) throw new Error('no call engine was created');
  return Object.assign(phone, { engine });
}
