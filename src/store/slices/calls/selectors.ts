import type { PhoneState } from '../../phone-state';
import { memoizeLast } from '../../support/memo';
import { isEstablished, isLive, type CallEntry } from './slice';

type ById = Readonly<Record<string, CallEntry>>;

const liveCalls = memoizeLast((byId: ById, order: readonly string[]) =>
  order.map((id) => byId[id]).filter((c): c is CallEntry => c !== undefined && isLive(c)),
);
const endedCalls = memoizeLast((byId: ById, order: readonly string[]) =>
  order.map((id) => byId[id]).filter((c): c is CallEntry => c !== undefined && !isLive(c)),
);

function ringingIncoming(s: PhoneState): CallEntry[] {
  return liveCalls(s.calls.byId, s.calls.order).filter(
    (c) => c.direction === 'incoming' && c.state === 'ringing' && c.declinedBy === null,
  );
}

/** Named selectors for the call screens; list results keep their identity while the calls do. */
export const callSelectors = {
  call: (s: PhoneState, id: string): CallEntry | undefined => s.calls.byId[id],
  /** Our camera sends in this call: its `camera` flag when the engine tells, else whether it has video. */
  cameraOn: (s: PhoneState, id: string): boolean => {
    const call = s.calls.byId[id];
    return call ? (call.camera ?? call.video) : false;
  },
  /** The call in front of the person, or null. */
  activeCall: (s: PhoneState): CallEntry | null =>
    s.calls.activeCallId === null ? null : (s.calls.byId[s.calls.activeCallId] ?? null),
  /** Calls not ended, oldest first. */
  liveCalls: (s: PhoneState) => liveCalls(s.calls.byId, s.calls.order),
  /** Ended calls still on screen, oldest first. */
  endedCalls: (s: PhoneState) => endedCalls(s.calls.byId, s.calls.order),
  hasLiveCall: (s: PhoneState) => liveCalls(s.calls.byId, s.calls.order).length > 0,
  /** The incoming call to show on the incoming-call screen (the oldest one ringing), or null. */
  incomingCall: (s: PhoneState): CallEntry | null => ringingIncoming(s)[0] ?? null,
  /** An incoming call ringing while another call is established (call waiting), or null. */
  waitingCall: (s: PhoneState): CallEntry | null => {
    const established = liveCalls(s.calls.byId, s.calls.order).some((c) => isEstablished(c.state));
    return established ? (ringingIncoming(s)[0] ?? null) : null;
  },
  /** Talk time so far (or in total once ended); 0 before the answer. */
  durationMs: (s: PhoneState, id: string, now: number): number => {
    const call = s.calls.byId[id];
    if (!call || call.answeredAt === null) return 0;
    return Math.max(0, (call.endedAt ?? now) - call.answeredAt);
  },
  dialDraft: (s: PhoneState) => s.calls.dialDraft,
  canRedial: (s: PhoneState) => s.settings.values.lastDialled !== null,
};
