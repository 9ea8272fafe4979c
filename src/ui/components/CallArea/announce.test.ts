import { describe, expect, it } from 'vitest';
import type { CallEntry } from '../../../store/index';
import { callAnnouncements } from './announce';

function call(id: string, patch: Partial<CallEntry> = {}): CallEntry {
  return {
    id,
    direction: 'incoming',
    remote: { name: id, number: '' },
    state: 'ringing',
    video: false,
    muted: false,
    onHold: false,
    startedAt: 0,
    answeredAt: null,
    endedAt: null,
    end: null,
    declinedBy: null,
    ...patch,
  };
}

const keys = (prev: CallEntry[], next: CallEntry[]) =>
  callAnnouncements(
    Object.fromEntries(prev.map((c) => [c.id, c])),
    Object.fromEntries(next.map((c) => [c.id, c])),
    next.map((c) => c.id),
  ).map((a) => `${a.callId}:${a.key}`);

describe('callAnnouncements', () => {
  it('a new incoming call is "incoming", or "waiting" over an established call', () => {
    expect(keys([], [call('bob')])).toEqual(['bob:incoming']);
    const bob = call('bob', { state: 'connected' });
    expect(keys([bob], [bob, call('carol')])).toEqual(['carol:waiting']);
  });

  it('tells resuming apart from connecting, on either side', () => {
    expect(keys([call('bob')], [call('bob', { state: 'connected' })])).toEqual(['bob:connected']);
    expect(keys([call('bob', { state: 'on-hold' })], [call('bob', { state: 'connected' })])).toEqual([
      'bob:resumed',
    ]);
    expect(keys([call('bob', { state: 'held-by-remote' })], [call('bob', { state: 'connected' })])).toEqual([
      'bob:remote-resumed',
    ]);
  });

  it('outgoing progress: calling, ringing, early media', () => {
    const out = (state: CallEntry['state']) => call('bob', { direction: 'outgoing', state });
    expect(keys([], [out('calling')])).toEqual(['bob:calling']);
    expect(keys([out('calling')], [out('ringing')])).toEqual(['bob:ringing']);
    expect(keys([out('ringing')], [out('early-media')])).toEqual(['bob:early-media']);
  });

  it('mute changes are announced; unchanged calls are not', () => {
    const bob = call('bob', { state: 'connected' });
    expect(keys([bob], [{ ...bob, muted: true }])).toEqual(['bob:muted']);
    expect(keys([bob], [bob])).toEqual([]);
  });

  it('a call turned away by do-not-disturb is announced even if never seen ringing', () => {
    expect(keys([], [call('bob', { state: 'ended', declinedBy: 'do-not-disturb' })])).toEqual(['bob:dnd']);
    expect(keys([], [call('bob', { state: 'ended' })])).toEqual([]);
  });
});
