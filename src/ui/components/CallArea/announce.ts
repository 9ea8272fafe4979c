/**
 * What the call screens' live region says when calls change: "Call with Bob connected", "Bob put
 * you on hold". Pure: compares two versions of `calls.byId`.
 */
import type { CallEntry } from '../../../store/index';

export type AnnouncementKey =
  | 'incoming'
  | 'waiting'
  | 'calling'
  | 'ringing'
  | 'early-media'
  | 'connected'
  | 'resumed'
  | 'on-hold'
  | 'held-by-remote'
  | 'remote-resumed'
  | 'ended'
  | 'dnd'
  | 'muted'
  | 'unmuted';

export interface Announcement {
  readonly key: AnnouncementKey;
  readonly callId: string;
}

type ById = Readonly<Record<string, CallEntry>>;

const ESTABLISHED = new Set<CallEntry['state']>(['connected', 'on-hold', 'held-by-remote']);

function stateKey(
  prev: CallEntry | undefined,
  next: CallEntry,
  others: readonly CallEntry[],
): AnnouncementKey {
  switch (next.state) {
    case 'ended':
      return next.declinedBy === 'do-not-disturb' ? 'dnd' : 'ended';
    case 'ringing':
      if (next.direction === 'outgoing') return 'ringing';
      return others.some((c) => ESTABLISHED.has(c.state)) ? 'waiting' : 'incoming';
    case 'connected':
      if (prev?.state === 'on-hold') return 'resumed';
      if (prev?.state === 'held-by-remote') return 'remote-resumed';
      return 'connected';
    default:
      return next.state;
  }
}

/** The announcements for the change from `prev` to `next`, in call order. */
export function callAnnouncements(prev: ById, next: ById, order: readonly string[]): Announcement[] {
  const out: Announcement[] = [];
  const all = order.map((id) => next[id]).filter((c): c is CallEntry => c !== undefined);
  for (const call of all) {
    const before = prev[call.id];
    if (before?.state !== call.state) {
      const others = all.filter((c) => c.id !== call.id);
      // A call that only appears once ended was never seen ringing: only do-not-disturb says so.
      if (before || call.state !== 'ended' || call.declinedBy === 'do-not-disturb') {
        out.push({ key: stateKey(before, call, others), callId: call.id });
      }
    } else if (before.muted !== call.muted && call.state !== 'ended') {
      out.push({ key: call.muted ? 'muted' : 'unmuted', callId: call.id });
    }
  }
  return out;
}
