import { describe, expect, it } from 'vitest';
import { callSelectors, registrationSelectors } from '../store/index';
import { connectedPhone, createTestPhone } from '../store/testing/test-phone';
import { parseAllowList, type BridgeOutMessage } from './bridge-messages';
import { startIframeBridge, type MessageSource } from './iframe-bridge';

const HOST = 'https://shop.example';

function harness(store = createTestPhone().store) {
  let listener: ((event: MessageEvent) => void) | null = null;
  const source: MessageSource = {
    addEventListener: (_type, l) => (listener = l),
    removeEventListener: () => (listener = null),
  };
  const posted: Array<{ message: BridgeOutMessage; origin: string }> = [];
  const parent = {
    postMessage: (message: unknown, origin: string) =>
      posted.push({ message: message as BridgeOutMessage, origin }),
  };
  const logs: string[] = [];
  const stop = startIframeBridge({
    store,
    allow: parseAllowList(`?allow=${HOST},https://other.example`),
    source,
    parent,
    log: (line) => logs.push(line),
  });
  const send = (data: unknown, origin = HOST): void =>
    listener?.({ data, origin, source: parent } as unknown as MessageEvent);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const results = () => posted.filter((p) => p.message.type === 'ringlet:result').map((p) => p.message);
  return { send, posted, logs, stop, settle, results, listening: () => listener !== null };
}

describe('HTML §9.3.1: commands only from allowlisted origins', () => {
  it('says ready to each allowed origin, and only to them', () => {
    const { posted } = harness();
    expect(posted).toEqual([
      { message: { type: 'ringlet:ready' }, origin: HOST },
      { message: { type: 'ringlet:ready' }, origin: 'https://other.example' },
    ]);
  });

  it('runs a call from an allowed origin and replies with the result', async () => {
    const phone = await connectedPhone();
    const h = harness(phone.store);
    h.send({ type: 'ringlet:call', target: 'sip:bob@example.com', requestId: 'r1' });
    await h.settle();
    expect(callSelectors.liveCalls(phone.store.getState())).toHaveLength(1);
    expect(h.results()).toEqual([
      { type: 'ringlet:result', requestId: 'r1', command: 'ringlet:call', ok: true },
    ]);
  });

  it('ignores and logs a command from any other origin', async () => {
    const phone = await connectedPhone();
    const h = harness(phone.store);
    for (const origin of [
      'https://evil.example',
      'null',
      '',
      'https://shop.example:8443',
      'http://shop.example',
    ]) {
      h.send({ type: 'ringlet:call', target: 'sip:bob@example.com' }, origin);
    }
    await h.settle();
    expect(callSelectors.liveCalls(phone.store.getState())).toHaveLength(0);
    expect(h.results()).toEqual([]);
    expect(h.logs).toHaveLength(5);
    expect(h.logs[0]).toBe('ringlet embed: ignored a message from https://evil.example: origin not allowed');
  });

  it('ignores and logs malformed messages, and keeps working after them', async () => {
    const phone = await connectedPhone();
    const h = harness(phone.store);
    const junk: unknown[] = [
      null,
      'x',
      1,
      [],
      { type: 'ringlet:call' },
      { type: 'ringlet:call', target: 'x'.repeat(1e6) },
      { type: 'ringlet:nope' },
    ];
    for (const data of junk) expect(() => h.send(data)).not.toThrow();
    await h.settle();
    expect(h.logs).toHaveLength(junk.length);
    expect(h.results()).toEqual([]);
    h.send({ type: 'ringlet:call', target: '200' });
    await h.settle();
    expect(callSelectors.liveCalls(phone.store.getState())).toHaveLength(1);
  });

  it('answers and hangs up through the call commands; says when there is nothing to act on', async () => {
    const phone = await connectedPhone();
    const h = harness(phone.store);
    h.send({ type: 'ringlet:answer', requestId: 1 });
    await h.settle();
    const id = phone.engine.incoming({ name: 'Bob', number: '200' });
    h.send({ type: 'ringlet:answer', requestId: 2 });
    await h.settle();
    expect(callSelectors.call(phone.store.getState(), id)?.state).toBe('connected');
    h.send({ type: 'ringlet:hangup', requestId: 3 });
    await h.settle();
    expect(callSelectors.call(phone.store.getState(), id)?.state).toBe('ended');
    expect(h.results().map((r) => r.type === 'ringlet:result' && [r.requestId, r.ok, r.reason])).toEqual([
      ['1', false, 'no-ringing-call'],
      ['2', true, undefined],
      ['3', true, undefined],
    ]);
  });

  it('configures the account from a configure command, validated like the element', async () => {
    const phone = createTestPhone();
    await phone.store.ready;
    const h = harness(phone.store);
    h.send({ type: 'ringlet:configure', config: { server: 'ftp://x', uri: 'sip:a@b' }, requestId: 'bad' });
    h.send({
      type: 'ringlet:configure',
      config: { server: 'wss://pbx.example.com/ws', uri: 'sip:alice@example.com', password: 's' },
      requestId: 'good',
    });
    await h.settle();
    await h.settle();
    const [bad, good] = h.results();
    expect(bad).toMatchObject({ requestId: 'bad', ok: false, reason: 'server: Enter a ws:// or wss:// URL' });
    expect(good).toMatchObject({ requestId: 'good', ok: true });
    expect(phone.store.getState().account.saved?.uri).toBe('sip:alice@example.com');
    expect(registrationSelectors.isRegistered(phone.store.getState())).toBe(true);
  });

  it('posts the phone events to the allowed origins', async () => {
    const phone = await connectedPhone();
    const h = harness(phone.store);
    phone.engine.incoming({ name: 'Bob', number: '200' });
    const events = h.posted.filter((p) => p.message.type === 'ringlet:event');
    expect(events.map((e) => [e.origin, e.message.type === 'ringlet:event' && e.message.event])).toEqual([
      [HOST, 'incoming'],
      ['https://other.example', 'incoming'],
    ]);
  });

  it('stops listening when stopped', () => {
    const h = harness();
    h.stop();
    expect(h.listening()).toBe(false);
  });
});
