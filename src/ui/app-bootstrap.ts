/**
 * Builds the standalone app's phone: the real store (IndexedDB storage, the browser's media
 * devices), the newcomer defaults for the built-in dev exchange, and the browser services the
 * settings screen needs (opening the microphone for the level meter).
 *
 * `npm start` + two tabs `?user=alice` and `?user=bob`: each tab gets its own profile (its own
 * database), an account `sip:<user>@ringlet.local` on `ws://127.0.0.1:5062`, and connects by itself.
 */
import {
  EMPTY_ACCOUNT_FORM,
  accountSelectors,
  browserMediaDevices,
  createIndexedDbStorage,
  createPhoneCallEngine,
  createPhoneStore,
  createPhoneUserAgentFactory,
  type AccountForm,
  type PhoneStore,
  type PhoneStoreDeps,
} from '../store/index';
import type { Screen } from './commands/index';

/** The built-in dev exchange `npm start` runs (dev-exchange/). */
export const DEV_EXCHANGE_SERVER = 'ws://127.0.0.1:5062';
export const DEV_EXCHANGE_DOMAIN = 'ringlet.local';

const DEV_USER = /^[a-z0-9._-]{1,32}$/;

/** What the page address says about a development profile. */
export type DevUser =
  | { readonly kind: 'none' }
  | { readonly kind: 'valid'; readonly user: string }
  | { readonly kind: 'invalid'; readonly value: string };

/** Reads `?user=` from a query string: 1–32 characters among a–z, 0–9, `.`, `_`, `-`. Pure. */
export function readDevUser(search: string): DevUser {
  const value = new URLSearchParams(search).get('user');
  if (value === null) return { kind: 'none' };
  // Shown back to the person as text; bounded so a long address cannot flood the page.
  return DEV_USER.test(value)
    ? { kind: 'valid', user: value }
    : { kind: 'invalid', value: value.slice(0, 64) };
}

/** The form a newcomer starts from: the dev exchange, and the dev user's address when given. Pure. */
export function newcomerAccount(devUser: DevUser): AccountForm {
  return {
    ...EMPTY_ACCOUNT_FORM,
    servers: [DEV_EXCHANGE_SERVER],
    uri: devUser.kind === 'valid' ? `sip:${devUser.user}@${DEV_EXCHANGE_DOMAIN}` : '',
  };
}

/** A notice the shell shows once, above the screens. */
export type StartupNotice =
  | { readonly kind: 'invalid-user'; readonly value: string }
  | { readonly kind: 'dev-profile'; readonly user: string };

/** Browser services for the settings screen, injected so components stay testable. */
export interface MediaAccess {
  /** Opens a microphone (`null`: the default) for the level meter; the caller stops its tracks. */
  openMicrophone?(deviceId: string | null): Promise<MediaStream>;
}

export function browserMediaAccess(): MediaAccess {
  const devices = globalThis.navigator?.mediaDevices;
  if (!devices?.getUserMedia) return {};
  return {
    openMicrophone: (deviceId) =>
      devices.getUserMedia({ audio: deviceId ? { deviceId: { exact: deviceId } } : true, video: false }),
  };
}

export interface BootstrapOptions {
  /** `location.search` of the page. */
  readonly search: string;
  /**
   * Replaces the real phone (SIP core + WebRTC, from `createPhoneUserAgentFactory` and
   * `createPhoneCallEngine`) — for tests only.
   */
  readonly engine?: Pick<PhoneStoreDeps, 'createUserAgent' | 'createCallEngine'>;
  /** Receives the store's and the SIP core's log lines. */
  readonly log?: PhoneStoreDeps['log'];
}

export interface BootstrappedApp {
  readonly store: PhoneStore;
  readonly notice: StartupNotice | null;
  readonly media: MediaAccess;
  /** The screen to open with: the account form until an account is saved. */
  readonly initialScreen: Screen;
  /** Connects when the account can connect without the person (see {@link shouldAutoConnect}). */
  readonly autoConnect: () => void;
}

/** Connect on start when the dev profile asks for it, or when nothing needs typing. Pure. */
export function shouldAutoConnect(store: PhoneStore, devUser: DevUser): boolean {
  const state = store.getState();
  if (!accountSelectors.isConfigured(state)) return false;
  return devUser.kind === 'valid' || !accountSelectors.needsPassword(state);
}

/**
 * Creates the store, waits for persisted data, and applies the newcomer defaults. Never rejects
 * (`store.ready` never does).
 */
export async function bootstrapApp(options: BootstrapOptions): Promise<BootstrappedApp> {
  const devUser = readDevUser(options.search);
  const common = {
    // One database per dev profile, so two tabs of one browser are two phones.
    storage: createIndexedDbStorage(
      devUser.kind === 'valid' ? { databaseName: `ringlet-dev-${devUser.user}` } : {},
    ),
    mediaDevices: browserMediaDevices(),
    ...(options.log ? { log: options.log } : {}),
  };
  // The real phone (SIP core + WebRTC) unless a test gives another engine.
  const store: PhoneStore = options.engine
    ? createPhoneStore({ ...common, ...options.engine })
    : createPhoneStore({
        ...common,
        createUserAgent: createPhoneUserAgentFactory(),
        createCallEngine: createPhoneCallEngine,
      });
  await store.ready;

  const account = store.getState().account;
  if (account.saved === null && !account.dirty) {
    account.editDraft(newcomerAccount(devUser));
    // The dev exchange takes any user without a password: the profile is ready to use.
    if (devUser.kind === 'valid') store.getState().account.save();
  }

  const notice: StartupNotice | null =
    devUser.kind === 'invalid'
      ? { kind: 'invalid-user', value: devUser.value }
      : devUser.kind === 'valid'
        ? { kind: 'dev-profile', user: devUser.user }
        : null;

  return {
    store,
    notice,
    media: browserMediaAccess(),
    initialScreen: accountSelectors.isConfigured(store.getState()) ? 'phone' : 'account',
    autoConnect: () => {
      if (shouldAutoConnect(store, devUser)) void store.getState().account.connect();
    },
  };
}
