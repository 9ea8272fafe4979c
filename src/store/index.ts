/**
 * The store's public surface for the UI, the widget and the application entry.
 */
export { createPhoneStore } from './create-phone-store';
export type { CallEngineContext, PhoneStore, PhoneStoreDeps, UserAgentTuning } from './create-phone-store';
export type { Clock, PersistenceStatus, PhoneState } from './phone-state';
export {
  createMemoryStorage,
  type MemoryStorage,
  type PersistenceStorage,
  type PersistedKey,
} from './persistence/storage';
export { createIndexedDbStorage, type IndexedDbStorageOptions } from './persistence/indexeddb-storage';
export type {
  CallDirection,
  CallEnd,
  CallEndCause,
  CallEngine,
  CallEngineEvents,
  CallSnapshot,
  CallState,
  CallStreams,
  Party,
  SelectedDevices,
} from './ports/call-engine';
export { browserMediaDevices, type DeviceInfoLike, type MediaDevicesPort } from './ports/media-devices';
export type { UserAgentFactory, UserAgentLike } from './ports/user-agent';
export type { FieldError, FieldErrors, SaveResult } from './support/validation';
export { normaliseDialTarget, dtmfDigits } from './support/dial-target';

export { accountSelectors } from './slices/account/selectors';
export type { AccountSlice, ConnectionTest, ConnectionTestResult } from './slices/account/slice';
export {
  ACCOUNT_MESSAGES,
  EMPTY_ACCOUNT_FORM,
  validateAccount,
  type AccountForm,
  type IceServerForm,
} from './slices/account/validate-account';
export { registrationSelectors } from './slices/registration/selectors';
export type { RegistrationFailure, RegistrationSlice } from './slices/registration/slice';
export { callSelectors } from './slices/calls/selectors';
export type { CallEntry, CallsSlice, DialResult } from './slices/calls/slice';
export { historySelectors } from './slices/history/selectors';
export type { CallResult, HistoryEntry, HistorySlice } from './slices/history/slice';
export { contactSelectors } from './slices/contacts/selectors';
export {
  validateContact,
  type Contact,
  type ContactDraft,
  type ContactForm,
  type ContactsSlice,
} from './slices/contacts/slice';
export { settingsSelectors } from './slices/settings/selectors';
export {
  LANGUAGES,
  THEMES,
  DEVICE_KINDS,
  type DeviceKind,
  type Language,
  type Settings,
  type SettingsSlice,
  type Theme,
} from './slices/settings/slice';
export { deviceSelectors } from './slices/devices/selectors';
export type { DeviceFallback, DeviceOption, DevicesSlice } from './slices/devices/slice';

export {
  createPhoneUserAgentFactory,
  PhoneUserAgent,
  type PhoneMediaChoice,
  type PhoneUserAgentDeps,
} from './engines/phone-user-agent';
export { createPhoneCallEngine, PhoneCallEngine } from './engines/phone-call-engine';
