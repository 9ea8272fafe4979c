/**
 * Registration slice: mirrors the account UA's `registration` and `transport` events
 * (RFC 3261 §10 as reported by `src/sip/ua/registration.ts`) as plain data for the status bar.
 * The reducers are pure; `connection.ts` feeds them.
 */
import type {
  RegistrationFailureCause,
  RegistrationState,
  RegistrationStatus,
  TransportState,
} from '../../../sip/index';
import type { SliceContext } from '../../phone-state';
import { errorText } from '../../support/log';

export interface RegistrationFailure {
  readonly cause: RegistrationFailureCause;
  readonly status: number | null;
  /** Reason text from the core or the registrar's reason phrase. */
  readonly reason: string;
}

export interface RegistrationData {
  readonly state: RegistrationState;
  /** The account is connected: `account.connect()` was called and not undone. */
  readonly active: boolean;
  /** Seconds the registrar granted, while registered. */
  readonly expires: number | null;
  /** When the binding lapses unless refreshed (epoch ms), while registered. */
  readonly expiresAt: number | null;
  /** The last failure, kept while the core retries; cleared once registered or disconnected. */
  readonly failure: RegistrationFailure | null;
  readonly transport: TransportState;
  /** The server URL in use while connected. */
  readonly server: string | null;
  /** The connection or registration was lost and the core is retrying by itself. */
  readonly reconnecting: boolean;
}

export interface RegistrationSlice extends RegistrationData {
  /** Registers again now (after a failure); does nothing when the account is not connected. */
  retry(): Promise<void>;
}

export const INITIAL_REGISTRATION: RegistrationData = {
  state: 'unregistered',
  active: false,
  expires: null,
  expiresAt: null,
  failure: null,
  transport: 'disconnected',
  server: null,
  reconnecting: false,
};

/** Mirrors the core's back-off rule: these failures are retried by the UA on its own. */
function isRetried(cause: RegistrationFailureCause, status: number | undefined): boolean {
  return (
    cause === 'timeout' ||
    cause === 'transport' ||
    (status !== undefined && (status === 480 || status >= 500))
  );
}

/** The slice after a `registration` event; pure. */
export function applyRegistrationStatus(
  data: RegistrationData,
  status: RegistrationStatus,
  now: number,
): Partial<RegistrationData> {
  switch (status.state) {
    case 'registered':
      return {
        state: 'registered',
        expires: status.expires,
        expiresAt: now + status.expires * 1000,
        failure: null,
        reconnecting: false,
      };
    case 'failed':
      return {
        state: 'failed',
        expires: null,
        expiresAt: null,
        failure: { cause: status.cause, status: status.status ?? null, reason: status.reason },
        reconnecting: data.active && isRetried(status.cause, status.status),
      };
    case 'registering':
      return { state: 'registering' };
    case 'unregistering':
      return { state: 'unregistering' };
    case 'unregistered':
      return { state: 'unregistered', expires: null, expiresAt: null };
  }
}

/** The slice after a `transport` event; pure. A drop after a connection means the core reconnects. */
export function applyTransportState(
  data: RegistrationData,
  state: TransportState,
  server: string | undefined,
): Partial<RegistrationData> {
  if (state === 'connected') return { transport: state, server: server ?? null };
  const lost =
    data.active && data.transport === 'connected' && (state === 'connecting' || state === 'disconnected');
  return { transport: state, server: null, reconnecting: data.reconnecting || lost };
}

export function createRegistrationSlice(ctx: SliceContext): RegistrationSlice {
  return {
    ...INITIAL_REGISTRATION,
    async retry() {
      const ua = ctx.live.ua;
      if (!ua) return;
      try {
        await ua.register();
      } catch (error) {
        ctx.log.warn('retry() | register failed', { error: errorText(error) });
      }
    },
  };
}
