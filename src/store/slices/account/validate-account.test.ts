import { describe, expect, it } from 'vitest';
import { VALID_ACCOUNT } from '../../testing/test-phone';
import { normaliseAccount, validateAccount, type AccountForm } from './validate-account';

const messages = (form: Partial<AccountForm>) =>
  Object.fromEntries(
    Object.entries(validateAccount({ ...VALID_ACCOUNT, ...form })).map(([k, v]) => [k, v.message]),
  );

describe('validateAccount()', () => {
  it('accepts a complete account', () => {
    expect(validateAccount(VALID_ACCOUNT)).toEqual({});
  });

  it.each([
    [{ servers: ['https://pbx.example.com'] }, { 'servers.0': 'Enter a ws:// or wss:// URL' }],
    [{ servers: ['pbx.example.com'] }, { 'servers.0': 'Enter a ws:// or wss:// URL' }],
    [{ servers: ['wss://'] }, { 'servers.0': 'Enter a ws:// or wss:// URL' }],
    [{ servers: ['wss://a.example.com/ws', 'nope'] }, { 'servers.1': 'Enter a ws:// or wss:// URL' }],
    [{ servers: ['', '  '] }, { servers: 'Enter at least one ws:// or wss:// URL' }],
    [{ uri: 'alice@example.com' }, { uri: 'SIP URI must look like sip:user@domain' }],
    [{ uri: 'sip:example.com' }, { uri: 'SIP URI must look like sip:user@domain' }],
    [{ uri: 'tel:+331234' }, { uri: 'SIP URI must look like sip:user@domain' }],
    [{ uri: 'sip:alice@exa mple.com' }, { uri: 'SIP URI must look like sip:user@domain' }],
    [{ authorizationUser: 'al ice' }, { authorizationUser: 'Authorization user cannot contain spaces' }],
    [{ displayName: 'x'.repeat(65) }, { displayName: 'Display name must be 64 characters or fewer' }],
    [
      { iceServers: [{ urls: 'http://stun.example.com', username: '', credential: '' }] },
      { 'iceServers.0': 'Enter a stun:, stuns:, turn: or turns: URL' },
    ],
    [
      { iceServers: [{ urls: 'turn:turn.example.com:3478', username: 'u', credential: '' }] },
      { 'iceServers.0': 'A TURN server needs a user name and a password' },
    ],
  ])('reports %j as %j', (form, expected) => {
    expect(messages(form)).toEqual(expected);
  });

  it('accepts sips: URIs, several servers, STUN and TURN with credentials', () => {
    expect(
      validateAccount({
        ...VALID_ACCOUNT,
        uri: 'sips:bob@example.org',
        servers: ['wss://a.example.com/ws', 'ws://127.0.0.1:5080'],
        iceServers: [
          { urls: 'stun:stun.example.com:3478', username: '', credential: '' },
          { urls: 'turns:turn.example.com:5349', username: 'u', credential: 'p' },
        ],
      }),
    ).toEqual({});
  });

  it('ignores blank rows, which saving drops', () => {
    const form = {
      ...VALID_ACCOUNT,
      servers: [' wss://a.example.com/ws ', ''],
      iceServers: [{ urls: '', username: '', credential: '' }],
    };
    expect(validateAccount(form)).toEqual({});
    expect(normaliseAccount(form)).toMatchObject({ servers: ['wss://a.example.com/ws'], iceServers: [] });
  });

  it('gives every message a stable code for translation', () => {
    expect(validateAccount({ ...VALID_ACCOUNT, uri: 'x' })['uri']?.code).toBe('sip-uri');
  });
});
