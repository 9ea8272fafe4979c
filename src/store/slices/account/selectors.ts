import type { PhoneState } from '../../phone-state';

/** Named selectors for the account screen. */
export const accountSelectors = {
  draft: (s: PhoneState) => s.account.draft,
  errors: (s: PhoneState) => s.account.errors,
  /** The message for one field path (`uri`, `servers.0`, …), or null. */
  fieldError: (s: PhoneState, path: string) => s.account.errors[path] ?? null,
  saved: (s: PhoneState) => s.account.saved,
  isConfigured: (s: PhoneState) => s.account.saved !== null,
  /** A saved account whose password was not remembered and is not known in this session. */
  needsPassword: (s: PhoneState) => s.account.saved !== null && s.account.saved.password === '',
  isDirty: (s: PhoneState) => s.account.dirty,
  test: (s: PhoneState) => s.account.test,
  isTesting: (s: PhoneState) => s.account.test.status === 'testing',
  /** Connected means `connect()` was called; see registrationSelectors for how it is going. */
  isConnected: (s: PhoneState) => s.registration.active,
};
