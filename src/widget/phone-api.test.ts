import { describe, expect, it, vi } from 'vitest';
import { callSelectors } from '../store/index';
import { connectedPhone, createTestPhone } from '../store/testing/test-phone';
import {
  answerCall,
  applyAccount,
  callWhenRegistered,
  hangupCall,
  placeCall,
  watchPhoneEvents,
  type PhoneEvent,
} from './phone-api';
import { parseWidgetConfig } from './widget-config';

async function watched() {
  const phone = await connectedPhone();
  const events: PhoneEvent[] = [];
  watchPhoneEvents(phone.store, (event) => events.push(event));
  return { ...phone, events, names: () => events.map((e) => e.name) };
}

describe('phone events for embedding pages', () => {
  it('an answered incoming call: incoming, call-started, call-ended with the cause', async () => {
    const { store, engine, events, names } = await watched();
    const id = engine.incoming({ name: 'Bob', number: '200' });
    expect(await answerCall(store)).toBe(true);
    engine.remoteHangup(id);
    expect(names()).toEqual(['incoming', 'call-started', 'call-ended']);
    expect(events[0]?.detail).toEqual({
      callId: id,
      direction: 'incoming',
      remote: { name: 'Bob', number: '200' },
      video: false,
    });
    expect(events[2]?.detail).toMatchObject({
      callId: id,
      cause: 'bye',
      originator: 'remote',
      answered: true,
    });
  });

  it('hold and resume are not new starts', async () => {
    const { store, engine, names } = await watched();
    const id = engine.incoming({ name: 'Bob', number: '200' });
    await store.getState().calls.answer(id);
    await store.getState().calls.hold(id);
    await store.getState().calls.resume(id);
    expect(names()).toEqual(['incoming', 'call-started']);
  });

  it('an outgoing call the other side rejects ends unanswered with its status', async () => {
    const { store, engine, events, names } = await watched();
    const result = placeCall(store, 'sip:bob@example.com');
    expect(result.ok).toBe(true);
    engine.fail(result.ok ? result.callId : '', { originator: 'remote', cause: 'busy', status: 486 });
    expect(names()).toEqual(['call-ended']);
    expect(events[0]?.detail).toMatchObject({
      direction: 'outgoing',
      cause: 'busy',
      status: 486,
      answered: false,
    });
  });

  it('registered fires once when the account registers', async () => {
    const phone = createTestPhone();
    await phone.store.ready;
    const events: PhoneEvent[] = [];
    watchPhoneEvents(phone.store, (event) => events.push(event));
    const parsed = parseWidgetConfig(
      { server: ['wss://pbx.example.com/ws'], uri: 'sip:alice@example.com' },
      undefined,
    );
    if (!parsed.ok) throw new Error(parsed.problems.join());
    expect(applyAccount(phone.store, parsed.config)).toEqual([]);
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events).toEqual([{ name: 'registered', detail: { uri: 'sip:alice@example.com' } }]);
  });
});

describe('commands from embedding pages', () => {
  it('placeCall never throws: a non-string or bad target is a result', async () => {
    const { store } = await connectedPhone();
    expect(placeCall(store, 42)).toEqual({ ok: false, reason: 'invalid-target' });
    expect(placeCall(store, 'not <valid>')).toEqual({ ok: false, reason: 'invalid-target' });
  });

  it('answer and hang up say false when there is no call to act on', async () => {
    const { store } = await connectedPhone();
    expect(await answerCall(store)).toBe(false);
    expect(await hangupCall(store)).toBe(false);
  });

  it('hang up declines a ringing call', async () => {
    const { store, engine } = await connectedPhone();
    const id = engine.incoming({ name: 'Bob', number: '200' });
    expect(await hangupCall(store)).toBe(true);
    expect(callSelectors.call(store.getState(), id)?.state).toBe('ended');
  });

  it('callWhenRegistered waits for the registration, then calls once', async () => {
    const phone = createTestPhone();
    await phone.store.ready;
    const results: unknown[] = [];
    callWhenRegistered(phone.store, 'sip:bob@example.com', { onResult: (r) => results.push(r) });
    expect(results).toEqual([]);
    const parsed = parseWidgetConfig(
      { server: ['wss://pbx.example.com/ws'], uri: 'sip:alice@example.com' },
      undefined,
    );
    if (parsed.ok) applyAccount(phone.store, parsed.config);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(results).toEqual([{ ok: true, callId: expect.any(String) }]);
    expect(callSelectors.liveCalls(phone.store.getState())).toHaveLength(1);
  });

  it('callWhenRegistered gives up after its timeout', async () => {
    const phone = createTestPhone();
    await phone.store.ready;
    vi.useFakeTimers();
    try {
      const results: unknown[] = [];
      callWhenRegistered(phone.store, 'bob', { timeoutMs: 5_000, onResult: (r) => results.push(r) });
      vi.advanceTimersByTime(4_999);
      expect(results).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(results).toEqual([{ ok: false, reason: 'not-connected' }]);
    } finally {
      vi.useRealTimers();
    }
  });
});
