import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { accountSelectors } from '../store/index';
import {
  DEV_EXCHANGE_SERVER,
  bootstrapApp,
  newcomerAccount,
  readDevUser,
  shouldAutoConnect,
} from './app-bootstrap';

describe('readDevUser: ?user= of the page address', () => {
  it.each([
    ['', { kind: 'none' }],
    ['?user=alice', { kind: 'valid', user: 'alice' }],
    ['?user=bob.smith_2-b', { kind: 'valid', user: 'bob.smith_2-b' }],
    ['?user=' + 'a'.repeat(32), { kind: 'valid', user: 'a'.repeat(32) }],
    ['?user=' + 'a'.repeat(33), { kind: 'invalid', value: 'a'.repeat(33) }],
    ['?user=', { kind: 'invalid', value: '' }],
    ['?user=Alice', { kind: 'invalid', value: 'Alice' }],
    ['?user=%3Cscript%3E', { kind: 'invalid', value: '<script>' }],
  ])('%j reads as %j', (search, expected) => {
    expect(readDevUser(search)).toEqual(expected);
  });

  it('bounds an invalid value shown back to the person', () => {
    const result = readDevUser('?user=' + 'X'.repeat(500));
    expect(result.kind === 'invalid' && result.value.length).toBe(64);
  });
});

describe('newcomerAccount', () => {
  it('points at the dev exchange, with the dev user address when there is one', () => {
    expect(newcomerAccount({ kind: 'valid', user: 'alice' })).toMatchObject({
      servers: [DEV_EXCHANGE_SERVER],
      uri: 'sip:alice@ringlet.local',
      password: '',
    });
    expect(newcomerAccount({ kind: 'none' })).toMatchObject({ servers: [DEV_EXCHANGE_SERVER], uri: '' });
  });
});

describe('bootstrapApp', () => {
  it('a newcomer without ?user= gets the dev exchange prefilled and starts on the account screen', async () => {
    const app = await bootstrapApp({ search: '' });
    const state = app.store.getState();
    expect(state.account.draft.servers).toEqual([DEV_EXCHANGE_SERVER]);
    expect(accountSelectors.isConfigured(state)).toBe(false);
    expect(app.initialScreen).toBe('account');
    expect(app.notice).toBeNull();
    expect(shouldAutoConnect(app.store, { kind: 'none' })).toBe(false);
  });

  it('?user=alice saves sip:alice@ringlet.local, opens the phone and connects by itself', async () => {
    const app = await bootstrapApp({ search: '?user=alice' });
    expect(app.store.getState().account.saved).toMatchObject({
      servers: [DEV_EXCHANGE_SERVER],
      uri: 'sip:alice@ringlet.local',
    });
    expect(app.initialScreen).toBe('phone');
    expect(app.notice).toEqual({ kind: 'dev-profile', user: 'alice' });
    expect(shouldAutoConnect(app.store, { kind: 'valid', user: 'alice' })).toBe(true);
  });

  it('keeps each dev profile in its own database, so two tabs are two phones', async () => {
    const alice = await bootstrapApp({ search: '?user=alice' });
    await alice.store.flush();
    const bob = await bootstrapApp({ search: '?user=bob' });
    expect(bob.store.getState().account.saved?.uri).toBe('sip:bob@ringlet.local');
    const aliceAgain = await bootstrapApp({ search: '?user=alice' });
    expect(aliceAgain.store.getState().account.saved?.uri).toBe('sip:alice@ringlet.local');
  });

  it('ignores an invalid ?user= with a notice', async () => {
    const app = await bootstrapApp({ search: '?user=Not%20Valid' });
    expect(app.notice).toEqual({ kind: 'invalid-user', value: 'Not Valid' });
    expect(app.store.getState().account.draft.uri).toBe('');
    expect(app.initialScreen).toBe('account');
  });
});
