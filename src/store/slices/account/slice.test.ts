import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../../sip/index';
import { createMemoryStorage } from '../../persistence/storage';
import type { FakeUserAgentScript } from '../../testing/fake-user-agent';
import { VALID_ACCOUNT, createTestPhone, saveAccount } from '../../testing/test-phone';
import { accountSelectors } from './selectors';

describe('account form', () => {
  it('keeps what was typed in the draft until it is saved', () => {
    const { store } = createTestPhone();
    store.getState().account.editDraft({ uri: 'sip:alice@example.com', displayName: 'Alice' });
    expect(store.getState().account.draft).toMatchObject({
      uri: 'sip:alice@example.com',
      displayName: 'Alice',
    });
    expect(store.getState().account.saved).toBeNull();
    expect(accountSelectors.isDirty(store.getState())).toBe(true);
  });

  it('refuses to save an invalid draft, keeps the draft and shows field messages', () => {
    const { store } = createTestPhone();
    store.getState().account.editDraft({ ...VALID_ACCOUNT, uri: 'alice' });
    const result = store.getState().account.save();
    expect(result.ok).toBe(false);
    expect(accountSelectors.fieldError(store.getState(), 'uri')?.message).toBe(
      'SIP URI must look like sip:user@domain',
    );
    expect(store.getState().account.draft.uri).toBe('alice');
    expect(store.getState().account.saved).toBeNull();
  });

  it('clears a field message as soon as the field is fixed', () => {
    const { store } = createTestPhone();
    store.getState().account.editDraft({ ...VALID_ACCOUNT, uri: 'alice' });
    store.getState().account.save();
    store.getState().account.editDraft({ uri: 'sip:alice@example.com' });
    expect(store.getState().account.errors).toEqual({});
  });

  it('edits server rows one by one and never leaves the list empty', () => {
    const { store } = createTestPhone();
    const account = () => store.getState().account;
    account().editServer(0, 'wss://a.example.com/ws');
    account().addServer();
    account().editServer(1, 'wss://b.example.com/ws');
    expect(account().draft.servers).toEqual(['wss://a.example.com/ws', 'wss://b.example.com/ws']);
    account().removeServer(0);
    account().removeServer(0);
    expect(account().draft.servers).toEqual(['']);
  });

  it('saves a trimmed account, gives the device an instance id, and can revert the draft to it', () => {
    const phone = createTestPhone();
    saveAccount(phone, { uri: '  sip:alice@example.com ', servers: ['wss://pbx.example.com/ws', ''] });
    const account = phone.store.getState().account;
    expect(account.saved).toMatchObject({
      uri: 'sip:alice@example.com',
      servers: ['wss://pbx.example.com/ws'],
    });
    expect(account.instanceId).toMatch(/^urn:uuid:/);
    account.editDraft({ displayName: 'Typo' });
    phone.store.getState().account.revertDraft();
    expect(phone.store.getState().account.draft.displayName).toBe('Alice');
  });
});

describe('password storage ("remember on this device")', () => {
  it('does not store the password unless remember is on, but keeps it for this session', async () => {
    const storage = createMemoryStorage();
    const phone = createTestPhone({ storage });
    await phone.store.ready;
    saveAccount(phone, { rememberPassword: false });
    await phone.store.flush();
    expect(JSON.stringify(storage.peek('account'))).not.toContain('alice-secret');
    expect(phone.store.getState().account.saved?.password).toBe('alice-secret');

    const reloaded = createTestPhone({ storage });
    await reloaded.store.ready;
    expect(reloaded.store.getState().account.saved).toMatchObject({
      uri: 'sip:alice@example.com',
      password: '',
    });
    expect(accountSelectors.needsPassword(reloaded.store.getState())).toBe(true);
  });

  it('stores the password when remember is on, and forgets it once remember is turned off', async () => {
    const storage = createMemoryStorage();
    const phone = createTestPhone({ storage });
    await phone.store.ready;
    saveAccount(phone, { rememberPassword: true });
    await phone.store.flush();
    const reloaded = createTestPhone({ storage });
    await reloaded.store.ready;
    expect(reloaded.store.getState().account.saved?.password).toBe('alice-secret');
    expect(reloaded.store.getState().account.instanceId).toBe(phone.store.getState().account.instanceId);

    reloaded.store.getState().account.editDraft({ rememberPassword: false });
    reloaded.store.getState().account.save();
    await reloaded.store.flush();
    expect(JSON.stringify(storage.peek('account'))).not.toContain('alice-secret');
  });
});

describe('testConnection()', () => {
  async function test(script: FakeUserAgentScript = {}) {
    const phone = createTestPhone({ script });
    await phone.store.ready;
    phone.store.getState().account.editDraft(VALID_ACCOUNT);
    const result = await phone.store.getState().account.testConnection();
    return { phone, result };
  }

  it('reports ok after registering and unregistering a throwaway UA, which it stops', async () => {
    const { phone, result } = await test();
    expect(result).toEqual({ outcome: 'ok' });
    expect(phone.store.getState().account.test).toEqual({ status: 'done', result: { outcome: 'ok' } });
    expect(phone.userAgents).toHaveLength(1);
    expect(phone.userAgents[0]?.log).toEqual(['start', 'register', 'unregister', 'stop']);
  });

  it('tests the draft without saving it, under its own instance id', async () => {
    const { phone } = await test();
    expect(phone.store.getState().account.saved).toBeNull();
    expect(phone.userAgents[0]?.options).toMatchObject({
      uri: 'sip:alice@example.com',
      password: 'alice-secret',
      servers: ['wss://pbx.example.com:8089/ws'],
    });
    expect(phone.userAgents[0]?.options.instanceId).not.toBe(phone.store.getState().account.instanceId);
  });

  it('reports cannot-connect when no server can be reached', async () => {
    const { phone, result } = await test({ startError: new Error('no server could be reached') });
    expect(result).toEqual({ outcome: 'cannot-connect', reason: 'no server could be reached' });
    expect(phone.userAgents[0]?.log).toContain('stop');
  });

  it('reports wrong-password when authentication fails', async () => {
    const { result } = await test({
      registerResult: { state: 'failed', cause: 'auth-failed', status: 401, reason: 'Authentication failed' },
    });
    expect(result).toEqual({ outcome: 'wrong-password', reason: 'Authentication failed' });
  });

  it('reports server-refused with the status and reason', async () => {
    const { result } = await test({
      registerResult: { state: 'failed', cause: 'rejected', status: 404, reason: '404 Not Found' },
    });
    expect(result).toEqual({ outcome: 'server-refused', status: 404, reason: '404 Not Found' });
  });

  it('reports cannot-connect when the registrar never answers', async () => {
    const { result } = await test({
      registerResult: {
        state: 'failed',
        cause: 'timeout',
        status: 408,
        reason: 'No response from the registrar',
      },
    });
    expect(result).toEqual({ outcome: 'cannot-connect', reason: 'No response from the registrar' });
  });

  it('reports an invalid form without creating a UA', async () => {
    const phone = createTestPhone();
    phone.store.getState().account.editDraft({ ...VALID_ACCOUNT, servers: ['http://x'] });
    const result = await phone.store.getState().account.testConnection();
    expect(result.outcome).toBe('invalid');
    expect(phone.userAgents).toHaveLength(0);
    expect(accountSelectors.fieldError(phone.store.getState(), 'servers.0')).not.toBeNull();
  });
});

describe('connect() and disconnect()', () => {
  it('rejects with InvalidStateError before an account is saved', async () => {
    const { store } = createTestPhone();
    await expect(store.getState().account.connect()).rejects.toThrow(InvalidStateError);
  });

  it('registers the saved account and unregisters on disconnect', async () => {
    const phone = createTestPhone();
    saveAccount(phone);
    const status = await phone.store.getState().account.connect();
    expect(status.state).toBe('registered');
    expect(accountSelectors.isConnected(phone.store.getState())).toBe(true);
    const ua = phone.userAgents[0];
    expect(ua?.options.instanceId).toBe(phone.store.getState().account.instanceId);

    await phone.store.getState().account.disconnect();
    expect(ua?.log).toEqual(['start', 'register', 'stop', 'unregister']);
    expect(phone.store.getState().registration).toMatchObject({ active: false, state: 'unregistered' });
    expect(phone.engines[0]?.disposed).toBe(true);
  });

  it('replaces the connection when connecting again', async () => {
    const phone = createTestPhone();
    saveAccount(phone);
    await phone.store.getState().account.connect();
    await phone.store.getState().account.connect();
    expect(phone.userAgents).toHaveLength(2);
    expect(phone.userAgents[0]?.log).toContain('stop');
    // Events of the replaced UA no longer reach the store.
    phone.userAgents[0]?.emitRegistration({ state: 'failed', cause: 'transport', reason: 'old' });
    expect(phone.store.getState().registration.state).toBe('registered');
  });

  it('forget() disconnects and removes the account from the device', async () => {
    const phone = createTestPhone();
    saveAccount(phone);
    await phone.store.getState().account.connect();
    await phone.store.getState().account.forget();
    expect(phone.store.getState().account.saved).toBeNull();
    expect(accountSelectors.isConfigured(phone.store.getState())).toBe(false);
  });
});
