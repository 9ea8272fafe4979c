import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../../sip/index';
import { connectedPhone, createTestPhone, START_TIME } from '../../testing/test-phone';
import { callSelectors } from './selectors';

describe('outgoing calls (RFC 3261 §13.2 as seen through the CallEngine port)', () => {
  it('dials the typed number, shows calling, ringing, connected, and times the talk from the answer', async () => {
    const { store, engine, clock } = await connectedPhone();
    store.getState().calls.setDialDraft('+33 1 23-45 (67)');
    const result = store.getState().calls.dial();
    expect(result).toEqual({ ok: true, callId: 'out-1' });
    expect(engine.commands).toEqual(['call +331234567']);
    expect(callSelectors.activeCall(store.getState())).toMatchObject({
      id: 'out-1',
      direction: 'outgoing',
      state: 'calling',
      startedAt: START_TIME,
      answeredAt: null,
    });
    expect(store.getState().calls.dialDraft).toBe('');

    engine.remoteRinging('out-1');
    expect(callSelectors.activeCall(store.getState())?.state).toBe('ringing');
    engine.remoteEarlyMedia('out-1');
    expect(callSelectors.activeCall(store.getState())?.state).toBe('early-media');
    clock.advance(5_000);
    engine.remoteAnswer('out-1');
    expect(callSelectors.activeCall(store.getState())).toMatchObject({
      state: 'connected',
      answeredAt: START_TIME + 5_000,
    });
    expect(callSelectors.durationMs(store.getState(), 'out-1', START_TIME + 65_000)).toBe(60_000);
  });

  it('remembers the last dialled number for redial', async () => {
    const { store, engine } = await connectedPhone();
    store.getState().calls.dial('sip:bob@example.com', { video: true });
    expect(callSelectors.canRedial(store.getState())).toBe(true);
    await store.getState().calls.hangup('out-1');
    store.getState().calls.redial();
    expect(engine.commands).toEqual([
      'call sip:bob@example.com video',
      'hangup out-1',
      'call sip:bob@example.com',
    ]);
  });

  it('reports why it cannot dial, keeping the draft', async () => {
    const { store } = await connectedPhone();
    store.getState().calls.setDialDraft('12<3');
    expect(store.getState().calls.dial()).toEqual({ ok: false, reason: 'invalid-target' });
    expect(store.getState().calls.dialDraft).toBe('12<3');
    expect(store.getState().calls.dial('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(store.getState().calls.redial()).toEqual({ ok: false, reason: 'empty' });

    const offline = createTestPhone();
    expect(offline.store.getState().calls.dial('123')).toEqual({ ok: false, reason: 'not-connected' });
  });

  it('mutes, holds, resumes and sends only valid DTMF digits', async () => {
    const { store, engine } = await connectedPhone();
    const calls = () => store.getState().calls;
    calls().dial('200');
    engine.remoteAnswer('out-1');
    calls().setMuted('out-1', true);
    expect(callSelectors.activeCall(store.getState())?.muted).toBe(true);
    await calls().hold('out-1');
    expect(callSelectors.activeCall(store.getState())).toMatchObject({ state: 'on-hold', onHold: true });
    await calls().resume('out-1');
    expect(callSelectors.activeCall(store.getState())).toMatchObject({ state: 'connected', onHold: false });
    calls().sendDtmf('out-1', '1 2#x*');
    expect(engine.dtmf).toEqual(['out-1:12#*']);
    engine.remoteHold('out-1');
    expect(callSelectors.activeCall(store.getState())?.state).toBe('held-by-remote');
  });

  it('keeps the remote party as plain, bounded text', async () => {
    const { store, engine } = await connectedPhone();
    engine.incoming({ name: '<img src=x onerror=alert(1)>\u202e\u0000Eve', number: '1000'.repeat(100) });
    const call = callSelectors.incomingCall(store.getState());
    expect(call?.remote.name).toBe('<img src=x onerror=alert(1)>Eve');
    expect(call?.remote.number.length).toBe(256);
  });
});

describe('camera of a video call (no renegotiation)', () => {
  it('turns the camera off and on through the engine, and the entry follows its snapshot', async () => {
    const { store, engine } = await connectedPhone();
    const calls = () => store.getState().calls;
    calls().dial('bob', { video: true });
    engine.remoteAnswer('out-1');
    expect(callSelectors.cameraOn(store.getState(), 'out-1')).toBe(true);
    await calls().setCamera('out-1', false);
    expect(engine.commands).toContain('camera out-1 false');
    expect(calls().byId['out-1']?.camera).toBe(false);
    expect(callSelectors.cameraOn(store.getState(), 'out-1')).toBe(false);
    // Other changes of the call leave the camera as it is.
    engine.remoteHold('out-1');
    expect(calls().byId['out-1']?.camera).toBe(false);
    await calls().setCamera('out-1', true);
    expect(callSelectors.cameraOn(store.getState(), 'out-1')).toBe(true);
  });

  it('refuses the camera of an audio call, a ringing incoming call or an unknown call', async () => {
    const { store, engine } = await connectedPhone();
    const calls = () => store.getState().calls;
    calls().dial('bob');
    engine.remoteAnswer('out-1');
    const incoming = engine.incoming({ name: 'Carol', number: '300' }, { video: true });
    expect(() => calls().setCamera('out-1', false)).toThrow(InvalidStateError);
    expect(() => calls().setCamera(incoming, false)).toThrow(InvalidStateError);
    expect(() => calls().setCamera('nope', false)).toThrow(InvalidStateError);
    expect(engine.commands.filter((c) => c.startsWith('camera'))).toEqual([]);
  });
});

describe('DTMF received from the other side (SIP INFO, RFC 6086)', () => {
  it('keeps the digits in the order they came, only 0-9 * # A-D', async () => {
    const { store, engine } = await connectedPhone();
    store.getState().calls.dial('200');
    engine.remoteAnswer('out-1');
    expect(callSelectors.activeCall(store.getState())?.receivedDtmf).toBeUndefined();
    engine.remoteDtmf('out-1', '1');
    engine.remoteDtmf('out-1', 'x#<b');
    expect(callSelectors.activeCall(store.getState())?.receivedDtmf).toBe('1#B');
  });

  it('keeps only the newest 32 digits, and keeps them once the call ended', async () => {
    const { store, engine } = await connectedPhone();
    store.getState().calls.dial('200');
    engine.remoteAnswer('out-1');
    engine.remoteDtmf('out-1', '0123456789'.repeat(4));
    const expected = '0123456789'.repeat(4).slice(-32);
    expect(store.getState().calls.byId['out-1']?.receivedDtmf).toBe(expected);
    engine.remoteHangup('out-1');
    expect(store.getState().calls.byId['out-1']).toMatchObject({ state: 'ended', receivedDtmf: expected });
  });

  it('keeps the digits shown when a later snapshot does not tell them', async () => {
    const { store, engine } = await connectedPhone();
    store.getState().calls.dial('200');
    engine.remoteAnswer('out-1');
    engine.remoteDtmf('out-1', '5');
    engine.remoteHold('out-1');
    expect(store.getState().calls.byId['out-1']).toMatchObject({
      state: 'held-by-remote',
      receivedDtmf: '5',
    });
  });
});

describe('incoming calls and call waiting', () => {
  it('answers an incoming call', async () => {
    const { store, engine } = await connectedPhone();
    const id = engine.incoming({ name: 'Bob', number: '201' });
    expect(callSelectors.incomingCall(store.getState())?.id).toBe(id);
    await store.getState().calls.answer(id, { video: true });
    expect(engine.commands).toEqual([`answer ${id} video`]);
    expect(callSelectors.activeCall(store.getState())).toMatchObject({ id, state: 'connected', video: true });
    expect(callSelectors.incomingCall(store.getState())).toBeNull();
  });

  it('holds the first call when a second is answered, switches between them, and returns to the first when one ends', async () => {
    const { store, engine } = await connectedPhone();
    const calls = () => store.getState().calls;
    const first = engine.incoming({ name: 'Bob', number: '201' });
    await calls().answer(first);
    const second = engine.incoming({ name: 'Carol', number: '202' });
    expect(callSelectors.waitingCall(store.getState())?.id).toBe(second);
    expect(callSelectors.activeCall(store.getState())?.id).toBe(first);

    await calls().answer(second);
    expect(engine.commands).toEqual([`answer ${first}`, `hold ${first}`, `answer ${second}`]);
    expect(calls().byId[first]).toMatchObject({ state: 'on-hold', onHold: true });
    expect(callSelectors.activeCall(store.getState())).toMatchObject({ id: second, state: 'connected' });

    await calls().switchTo(first);
    expect(calls().byId[second]).toMatchObject({ state: 'on-hold' });
    expect(callSelectors.activeCall(store.getState())).toMatchObject({ id: first, state: 'connected' });

    engine.remoteHangup(first);
    expect(callSelectors.activeCall(store.getState())).toMatchObject({ id: second, state: 'on-hold' });
    expect(callSelectors.liveCalls(store.getState()).map((c) => c.id)).toEqual([second]);
  });

  it('declines a waiting call and stays on the first', async () => {
    const { store, engine } = await connectedPhone();
    const first = engine.incoming({ name: 'Bob', number: '201' });
    await store.getState().calls.answer(first);
    const second = engine.incoming({ name: 'Carol', number: '202' });
    await store.getState().calls.decline(second);
    expect(engine.commands.at(-1)).toBe(`reject ${second} 486`);
    expect(callSelectors.activeCall(store.getState())).toMatchObject({ id: first, state: 'connected' });
    expect(callSelectors.waitingCall(store.getState())).toBeNull();
  });

  it('turns calls away during do-not-disturb', async () => {
    const { store, engine } = await connectedPhone();
    store.getState().settings.update({ doNotDisturb: true });
    const id = engine.incoming({ name: 'Bob', number: '201' });
    expect(engine.commands).toEqual([`reject ${id} 486`]);
    expect(callSelectors.incomingCall(store.getState())).toBeNull();
  });

  it('auto-answers when asked to, but not over another call', async () => {
    const { store, engine } = await connectedPhone();
    store.getState().settings.update({ autoAnswer: true });
    const first = engine.incoming({ name: 'Bob', number: '201' });
    await Promise.resolve();
    expect(store.getState().calls.byId[first]?.state).toBe('connected');
    const second = engine.incoming({ name: 'Carol', number: '202' });
    await Promise.resolve();
    expect(store.getState().calls.byId[second]?.state).toBe('ringing');
  });

  it('throws InvalidStateError for commands a call state does not allow', async () => {
    const { store, engine } = await connectedPhone();
    const id = engine.incoming({ name: 'Bob', number: '201' });
    engine.remoteHangup(id);
    expect(() => store.getState().calls.answer(id)).toThrow(InvalidStateError);
    expect(() => store.getState().calls.hold(id)).toThrow(InvalidStateError);
    expect(() => store.getState().calls.answer('nope')).toThrow(InvalidStateError);
    expect(() => store.getState().calls.sendDtmf(id, '1')).toThrow(InvalidStateError);
  });

  it('removes ended calls from the screen when dismissed, and keeps only a few', async () => {
    const { store, engine } = await connectedPhone();
    const ids = [1, 2, 3, 4, 5].map((n) => {
      const id = engine.incoming({ name: '', number: String(n) });
      engine.remoteHangup(id);
      return id;
    });
    expect(callSelectors.endedCalls(store.getState()).map((c) => c.id)).toEqual(ids.slice(2));
    store.getState().calls.dismiss(ids[4] ?? '');
    expect(callSelectors.endedCalls(store.getState()).map((c) => c.id)).toEqual(ids.slice(2, 4));
    expect(() => store.getState().calls.dismiss('x')).toThrow(InvalidStateError);
  });

  it('ends live calls when the account disconnects, recording them in history', async () => {
    const { store, engine } = await connectedPhone();
    store.getState().calls.dial('200');
    engine.remoteAnswer('out-1');
    await store.getState().account.disconnect();
    expect(callSelectors.hasLiveCall(store.getState())).toBe(false);
    expect(store.getState().history.entries[0]).toMatchObject({ callId: 'out-1', result: 'answered' });
  });
});

describe('selectors', () => {
  it('return the same list while the calls do not change', async () => {
    const { store, engine } = await connectedPhone();
    engine.incoming({ name: 'Bob', number: '201' });
    const before = callSelectors.liveCalls(store.getState());
    store.getState().settings.update({ theme: 'dark' });
    expect(callSelectors.liveCalls(store.getState())).toBe(before);
  });
});
