import { describe, expect, it } from 'vitest';
import { UserAgent, type WebSocketConstructor, type WebSocketLike } from '../sip/index';
import { createPhoneStore } from './create-phone-store';
import { createTestPhone, VALID_ACCOUNT } from './testing/test-phone';

/** A socket whose server is never there: it closes on the next turn without opening. */
class UnreachableSocket implements WebSocketLike {
  readyState = 0;
  protocol = '';
  onopen: WebSocketLike['onopen'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  constructor(_url: string, _protocols: string | string[]) {
    queueMicrotask(() => {
      this.readyState = 3;
      this.onerror?.({});
      this.onclose?.({ code: 1006, reason: '' });
    });
  }
  send(): void {}
  close(): void {}
}
const Unreachable = UnreachableSocket as unknown as WebSocketConstructor;

describe('createPhoneStore() with the SIP core', () => {
  it('reports an unreachable server as cannot-connect as soon as every server failed, and stops the UA', async () => {
    const made: UserAgent[] = [];
    const phone = createTestPhone({
      createUserAgent: (options) => {
        const ua = new UserAgent({ ...options, WebSocket: Unreachable });
        made.push(ua);
        return ua;
      },
    });
    await phone.store.ready;
    phone.store.getState().account.editDraft(VALID_ACCOUNT);
    // No clock advance: the core's start() rejects once the only server has refused.
    const result = await phone.store.getState().account.testConnection();
    expect(result.outcome).toBe('cannot-connect');
    expect(phone.store.getState().account.test.status).toBe('done');
    expect(made[0]?.transportState).toBe('disconnected');
  });

  it('builds the core UserAgent by default', async () => {
    const store = createPhoneStore({ WebSocket: Unreachable, connectionTestTimeoutMs: 0 });
    store.getState().account.editDraft(VALID_ACCOUNT);
    const result = await store.getState().account.testConnection();
    expect(result.outcome).toBe('cannot-connect');
  });

  it('holds no SIP objects in its state: the state is plain data', async () => {
    const store = createPhoneStore({ WebSocket: Unreachable });
    await store.ready;
    const data = JSON.parse(
      JSON.stringify(store.getState(), (_k, v: unknown) => (typeof v === 'function' ? undefined : v)),
    );
    expect(Object.keys(data)).toEqual([
      'account',
      'registration',
      'calls',
      'history',
      'contacts',
      'settings',
      'devices',
      'persistence',
    ]);
    await store.destroy();
  });
});
