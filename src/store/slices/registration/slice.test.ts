import { describe, expect, it } from 'vitest';
import { createTestPhone, saveAccount, START_TIME } from '../../testing/test-phone';
import { registrationSelectors } from './selectors';
import { INITIAL_REGISTRATION, applyRegistrationStatus, applyTransportState } from './slice';

async function connected(script = {}) {
  const phone = createTestPhone({ script });
  saveAccount(phone);
  await phone.store.getState().account.connect();
  const ua = phone.userAgents[0];
  if (!ua) throw new Error('no UA');
  return { phone, ua, state: () => phone.store.getState() };
}

describe('RFC 3261 §10 registration, as mirrored for the status bar', () => {
  it('shows registered with the granted expiry', async () => {
    const { state } = await connected();
    expect(state().registration).toMatchObject({
      state: 'registered',
      expires: 600,
      expiresAt: START_TIME + 600_000,
      failure: null,
      transport: 'connected',
      server: 'wss://pbx.example.com:8089/ws',
    });
    expect(registrationSelectors.status(state())).toBe('registered');
    expect(registrationSelectors.secondsLeft(state(), START_TIME + 60_000)).toBe(540);
  });

  it('shows the failure cause and reason text', async () => {
    const { state } = await connected({
      registerResult: {
        state: 'failed',
        cause: 'auth-failed',
        status: 403,
        reason: 'Authentication failed: 403 Forbidden',
      },
    });
    expect(state().registration.failure).toEqual({
      cause: 'auth-failed',
      status: 403,
      reason: 'Authentication failed: 403 Forbidden',
    });
    expect(registrationSelectors.status(state())).toBe('failed');
    expect(state().registration.reconnecting).toBe(false);
  });

  it('flags reconnecting when the connection drops, and clears it once registered again', async () => {
    const { ua, state } = await connected();
    ua.emitTransport('connecting');
    expect(state().registration.reconnecting).toBe(true);
    expect(registrationSelectors.status(state())).toBe('registered');
    ua.emitRegistration({
      state: 'failed',
      cause: 'transport',
      status: 503,
      reason: 'The connection to the server failed',
    });
    expect(registrationSelectors.status(state())).toBe('reconnecting');
    ua.emitTransport('connected', 'wss://backup.example.com/ws');
    expect(state().registration.server).toBe('wss://backup.example.com/ws');
    ua.emitRegistration({ state: 'registering' });
    ua.emitRegistration({ state: 'registered', expires: 300, contact: '<sip:x@y.invalid>' });
    expect(state().registration).toMatchObject({ reconnecting: false, failure: null, expires: 300 });
  });

  it('says reconnecting when the first connection fails, since the core retries it', async () => {
    const { state } = await connected({ startError: new Error('connect-failed') });
    expect(state().registration.failure?.cause).toBe('transport');
    expect(registrationSelectors.status(state())).toBe('reconnecting');
  });

  it('is offline and clear after disconnect, and retry() then does nothing', async () => {
    const { phone, state } = await connected();
    await state().account.disconnect();
    expect(registrationSelectors.status(state())).toBe('offline');
    expect(state().registration).toMatchObject(INITIAL_REGISTRATION);
    await state().registration.retry();
    expect(phone.userAgents[0]?.log.filter((m) => m === 'register')).toHaveLength(1);
  });

  it('retry() registers again', async () => {
    const { ua, state } = await connected();
    await state().registration.retry();
    expect(ua.log.filter((m) => m === 'register')).toHaveLength(2);
  });
});

describe('reducers', () => {
  it('do not flag reconnecting for transport changes of an inactive account', () => {
    const data = { ...INITIAL_REGISTRATION, transport: 'connected' as const };
    expect(applyTransportState(data, 'disconnected', undefined).reconnecting).toBe(false);
  });

  it('forget the expiry once unregistered', () => {
    const registered = {
      ...INITIAL_REGISTRATION,
      ...applyRegistrationStatus(INITIAL_REGISTRATION, { state: 'registered', expires: 60, contact: '' }, 0),
    };
    expect(applyRegistrationStatus(registered, { state: 'unregistered' }, 1)).toMatchObject({
      expires: null,
      expiresAt: null,
    });
  });
});
