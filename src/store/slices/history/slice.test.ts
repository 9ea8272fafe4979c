import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../persistence/storage';
import { connectedPhone, createTestPhone, START_TIME } from '../../testing/test-phone';
import { historySelectors } from './selectors';
import { callResult, type EndedCallFacts } from './slice';

const base: EndedCallFacts = {
  id: 'c',
  direction: 'incoming',
  remote: { name: '', number: '1' },
  video: false,
  startedAt: 0,
  answeredAt: null,
  endedAt: 10,
  end: { originator: 'remote', cause: 'cancel' },
  declinedBy: null,
};

describe('callResult()', () => {
  it.each<[string, Partial<EndedCallFacts>, string]>([
    ['an answered call', { answeredAt: 1, end: { originator: 'remote', cause: 'bye' } }, 'answered'],
    ['an incoming call the caller gave up on', {}, 'missed'],
    [
      'an incoming call declined here',
      { declinedBy: 'user', end: { originator: 'local', cause: 'busy' } },
      'rejected',
    ],
    ['an incoming call turned away by do-not-disturb', { declinedBy: 'do-not-disturb' }, 'missed'],
    [
      'an incoming call answered on another device',
      { end: { originator: 'remote', cause: 'completed-elsewhere' } },
      'cancelled',
    ],
    [
      'an outgoing call we cancelled',
      { direction: 'outgoing', end: { originator: 'local', cause: 'cancel' } },
      'cancelled',
    ],
    [
      'an outgoing call to a busy callee',
      { direction: 'outgoing', end: { originator: 'remote', cause: 'busy', status: 486 } },
      'rejected',
    ],
    [
      'an outgoing call that could not be set up',
      { direction: 'outgoing', end: { originator: 'system', cause: 'transport-error' } },
      'failed',
    ],
    [
      'an outgoing call without media',
      { direction: 'outgoing', end: { originator: 'system', cause: 'media-error' } },
      'failed',
    ],
  ])('%s is %s', (_name, facts, expected) => {
    expect(callResult({ ...base, ...facts })).toBe(expected);
  });
});

describe('history of ended calls', () => {
  it('records every ended call with direction, party, time, duration and result, newest first', async () => {
    const { store, engine, clock } = await connectedPhone();
    store.getState().calls.dial('200');
    clock.advance(2_000);
    engine.remoteAnswer('out-1', { name: 'Desk', number: '200' });
    clock.advance(30_000);
    engine.remoteHangup('out-1');
    const missed = engine.incoming({ name: 'Bob', number: '201' });
    engine.remoteHangup(missed);

    const [latest, first] = historySelectors.entries(store.getState());
    expect(first).toMatchObject({
      callId: 'out-1',
      direction: 'outgoing',
      party: { name: 'Desk', number: '200' },
      startedAt: START_TIME,
      answeredAt: START_TIME + 2_000,
      endedAt: START_TIME + 32_000,
      durationMs: 30_000,
      result: 'answered',
      cause: 'bye',
    });
    expect(latest).toMatchObject({
      callId: missed,
      direction: 'incoming',
      result: 'missed',
      durationMs: 0,
      seen: false,
    });
  });

  it('counts unseen missed calls for the badge until markMissedSeen()', async () => {
    const { store, engine } = await connectedPhone();
    for (const n of ['201', '202']) engine.remoteHangup(engine.incoming({ name: '', number: n }));
    const declined = engine.incoming({ name: '', number: '203' });
    await store.getState().calls.decline(declined);
    expect(historySelectors.missedCount(store.getState())).toBe(2);
    expect(historySelectors.missed(store.getState())).toHaveLength(2);
    store.getState().history.markMissedSeen();
    expect(historySelectors.missedCount(store.getState())).toBe(0);
    expect(historySelectors.missed(store.getState())).toHaveLength(2);
  });

  it('calls the party back and clears that entry from the badge', async () => {
    const { store, engine } = await connectedPhone();
    engine.remoteHangup(engine.incoming({ name: 'Bob', number: '201' }));
    const entry = historySelectors.entries(store.getState())[0];
    const result = store.getState().history.callback(entry?.id ?? '');
    expect(result.ok).toBe(true);
    expect(engine.commands.at(-1)).toBe('call 201');
    expect(historySelectors.missedCount(store.getState())).toBe(0);
  });

  it('removes one entry or all of them', async () => {
    const { store, engine } = await connectedPhone();
    for (const n of ['201', '202']) engine.remoteHangup(engine.incoming({ name: '', number: n }));
    store.getState().history.remove(historySelectors.entries(store.getState())[0]?.id ?? '');
    expect(historySelectors.entries(store.getState())).toHaveLength(1);
    store.getState().history.clear();
    expect(historySelectors.entries(store.getState())).toHaveLength(0);
  });

  it('survives a reload, badge included', async () => {
    const storage = createMemoryStorage();
    const phone = await connectedPhone({ storage });
    phone.engine.remoteHangup(phone.engine.incoming({ name: 'Bob', number: '201' }));
    await phone.store.flush();
    const reloaded = createTestPhone({ storage });
    await reloaded.store.ready;
    expect(historySelectors.entries(reloaded.store.getState())).toEqual(
      historySelectors.entries(phone.store.getState()),
    );
    expect(historySelectors.missedCount(reloaded.store.getState())).toBe(1);
  });
});
