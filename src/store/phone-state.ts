/**
 * The shape of the phone store: one key per slice, each slice holding its plain data and its actions
 * (`store.getState().calls.answer(id)`), and the context slices are built with.
 */
import type { LiveObjects } from './live-objects';
import type { CallEngine } from './ports/call-engine';
import type { MediaDevicesPort } from './ports/media-devices';
import type { UserAgentLike } from './ports/user-agent';
import type { AccountForm, AccountSlice } from './slices/account/slice';
import type { CallsSlice } from './slices/calls/slice';
import type { ContactsSlice } from './slices/contacts/slice';
import type { DevicesSlice } from './slices/devices/slice';
import type { HistorySlice } from './slices/history/slice';
import type { RegistrationSlice } from './slices/registration/slice';
import type { SettingsSlice } from './slices/settings/slice';
import type { StoreLogger } from './support/log';

/** Where persisted data stands: `unavailable` means storage failed and the phone runs in memory. */
export interface PersistenceStatus {
  readonly status: 'loading' | 'ready' | 'unavailable';
}

export interface PhoneState {
  readonly account: AccountSlice;
  readonly registration: RegistrationSlice;
  readonly calls: CallsSlice;
  readonly history: HistorySlice;
  readonly contacts: ContactsSlice;
  readonly settings: SettingsSlice;
  readonly devices: DevicesSlice;
  readonly persistence: PersistenceStatus;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Timers, injected so tests control time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A user agent (and, for a real account, its call engine) built for one account. */
export interface OpenedAccount {
  readonly ua: UserAgentLike;
  readonly engine: CallEngine | null;
}

export type SlicePatch<K extends keyof PhoneState> =
  Partial<PhoneState[K]> | ((slice: PhoneState[K]) => Partial<PhoneState[K]>);

export interface SliceContext {
  get(): PhoneState;
  /** Shallow-merges a patch into one slice. */
  update<K extends keyof PhoneState>(key: K, patch: SlicePatch<K>): void;
  readonly live: LiveObjects;
  readonly clock: Clock;
  readonly timers: Timers;
  /** How long `testConnection()` waits for the whole check before reporting `cannot-connect`. */
  readonly connectionTestTimeoutMs: number;
  readonly ids: () => string;
  readonly log: StoreLogger;
  /**
   * Builds a UA for `account`; with `withCalls`, also its call engine.
   * @throws whatever the UA constructor throws for options it refuses.
   */
  open(account: AccountForm, instanceId: string, withCalls: boolean): OpenedAccount;
  readonly mediaDevices: MediaDevicesPort | undefined;
}
