import type { PhoneState } from '../../phone-state';

/** Named selectors for the status bar; each reads `PhoneState` and returns plain data. */
export const registrationSelectors = {
  state: (s: PhoneState) => s.registration.state,
  isRegistered: (s: PhoneState) => s.registration.state === 'registered',
  failure: (s: PhoneState) => s.registration.failure,
  reconnecting: (s: PhoneState) => s.registration.reconnecting,
  /**
   * One word for the status bar: `offline` (not connected), `connecting`, `registered`,
   * `reconnecting`, or `failed` (a failure the core does not retry by itself).
   */
  status: (s: PhoneState): 'offline' | 'connecting' | 'registered' | 'reconnecting' | 'failed' => {
    const r = s.registration;
    if (!r.active) return 'offline';
    if (r.state === 'registered') return 'registered';
    if (r.reconnecting) return 'reconnecting';
    if (r.state === 'failed') return 'failed';
    return 'connecting';
  },
  /** Seconds until the binding lapses (not counting the core's early refresh), or null. */
  secondsLeft: (s: PhoneState, now: number): number | null =>
    s.registration.expiresAt === null
      ? null
      : Math.max(0, Math.round((s.registration.expiresAt - now) / 1000)),
};
