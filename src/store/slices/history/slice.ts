/**
 * History slice: one entry per ended call (newest first), the missed-call badge, call back.
 * Persisted; entries read back from storage are validated one by one.
 */
import type { CallDirection, CallEnd, CallEndCause, Party } from '../../ports/call-engine';
import type { SliceContext } from '../../phone-state';
import { isRecord, oneOf, plainText, readBoolean, readNumber, readString } from '../../support/guards';
import type { StoreLogger } from '../../support/log';
import type { DialResult } from '../calls/slice';

export type CallResult = 'answered' | 'missed' | 'rejected' | 'failed' | 'cancelled';

export const CALL_RESULTS: readonly CallResult[] = ['answered', 'missed', 'rejected', 'failed', 'cancelled'];

export interface HistoryEntry {
  readonly id: string;
  readonly callId: string;
  readonly direction: CallDirection;
  readonly party: Party;
  readonly video: boolean;
  readonly startedAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number;
  /** Talk time: from the answer to the end; 0 when never answered. */
  readonly durationMs: number;
  readonly result: CallResult;
  readonly cause: CallEndCause | null;
  /** For missed calls: the person has seen it (clears the badge). Always true for the others. */
  readonly seen: boolean;
}

export interface HistoryData {
  readonly entries: readonly HistoryEntry[];
}

export interface HistorySlice extends HistoryData {
  /** Clears the missed-call badge. */
  markMissedSeen(): void;
  remove(entryId: string): void;
  clear(): void;
  /** Calls the entry's party back (and marks the entry seen). */
  callback(entryId: string, options?: { video?: boolean }): DialResult;
}

/** Oldest entries beyond this are dropped. */
export const MAX_HISTORY_ENTRIES = 500;

/** What deciding a call's result needs from the calls slice. */
export interface EndedCallFacts {
  readonly id: string;
  readonly direction: CallDirection;
  readonly remote: Party;
  readonly video: boolean;
  readonly startedAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
  readonly end: CallEnd | null;
  readonly declinedBy: 'user' | 'do-not-disturb' | null;
}

const REFUSED_BY_CALLEE: readonly CallEndCause[] = ['busy', 'rejected', 'unavailable', 'redirected'];

/**
 * The result shown in history, pure:
 * answered once answered; an unanswered incoming call is `rejected` when the person declined it,
 * `cancelled` when another device took it (RFC 3326 `cause=200`), else `missed` (do-not-disturb
 * rejections count as missed so the badge still tells the person someone called); an unanswered
 * outgoing call is `cancelled` when we gave up, `rejected` when the callee refused (busy, declined,
 * unavailable), else `failed`.
 */
export function callResult(call: EndedCallFacts): CallResult {
  if (call.answeredAt !== null) return 'answered';
  const cause = call.end?.cause;
  if (call.direction === 'incoming') {
    if (call.declinedBy === 'user') return 'rejected';
    if (cause === 'completed-elsewhere') return 'cancelled';
    return 'missed';
  }
  if (cause === 'cancel' && call.end?.originator === 'local') return 'cancelled';
  if (cause !== undefined && REFUSED_BY_CALLEE.includes(cause)) return 'rejected';
  return 'failed';
}

export function historyEntryFromCall(call: EndedCallFacts, entryId: string, now: number): HistoryEntry {
  const endedAt = call.endedAt ?? now;
  const result = callResult(call);
  return {
    id: entryId,
    callId: call.id,
    direction: call.direction,
    party: { name: call.remote.name, number: call.remote.number },
    video: call.video,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    endedAt,
    durationMs: call.answeredAt === null ? 0 : Math.max(0, endedAt - call.answeredAt),
    result,
    cause: call.end?.cause ?? null,
    seen: result !== 'missed',
  };
}

/** Newest first, bounded; pure. */
export function addHistoryEntry(entries: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  return [entry, ...entries].slice(0, MAX_HISTORY_ENTRIES);
}

const END_CAUSES: readonly CallEndCause[] = [
  'bye',
  'cancel',
  'busy',
  'rejected',
  'completed-elsewhere',
  'not-found',
  'unavailable',
  'not-acceptable',
  'redirected',
  'request-timeout',
  'transport-error',
  'auth-failed',
  'no-ack',
  'session-expired',
  'dialog-error',
  'media-error',
];

/** One stored entry, validated; `undefined` when it is not one. */
export function readHistoryEntry(value: unknown): HistoryEntry | undefined {
  if (!isRecord(value) || !isRecord(value['party'])) return undefined;
  const id = readString(value, 'id', 200);
  const callId = readString(value, 'callId', 500);
  const direction = oneOf<CallDirection>(['incoming', 'outgoing'], value['direction']);
  const result = oneOf(CALL_RESULTS, value['result']);
  const startedAt = readNumber(value, 'startedAt');
  const endedAt = readNumber(value, 'endedAt');
  const durationMs = readNumber(value, 'durationMs');
  const answeredAt = value['answeredAt'] === null ? null : readNumber(value, 'answeredAt');
  const video = readBoolean(value, 'video');
  const seen = readBoolean(value, 'seen');
  const cause = value['cause'] === null ? null : oneOf(END_CAUSES, value['cause']);
  const name = readString(value['party'], 'name', 1000);
  const number = readString(value['party'], 'number', 1000);
  if (
    !id ||
    callId === undefined ||
    !direction ||
    !result ||
    startedAt === undefined ||
    endedAt === undefined ||
    durationMs === undefined ||
    durationMs < 0 ||
    answeredAt === undefined ||
    video === undefined ||
    seen === undefined ||
    cause === undefined ||
    name === undefined ||
    number === undefined
  ) {
    return undefined;
  }
  return {
    id,
    callId,
    direction,
    party: { name: plainText(name), number: plainText(number) },
    video,
    startedAt,
    answeredAt,
    endedAt,
    durationMs,
    result,
    cause,
    seen,
  };
}

/** A stored history record: every valid entry is kept, each invalid one dropped with a log line. */
export function readHistoryRecord(value: unknown, log: StoreLogger): HistoryEntry[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const entries: HistoryEntry[] = [];
  const seenIds = new Set<string>();
  value.forEach((raw, index) => {
    const entry = readHistoryEntry(raw);
    if (!entry || seenIds.has(entry.id)) {
      log.warn('load() | dropped a corrupt history entry', { index });
      return;
    }
    seenIds.add(entry.id);
    entries.push(entry);
  });
  return entries.sort((a, b) => b.endedAt - a.endedAt).slice(0, MAX_HISTORY_ENTRIES);
}

export function createHistorySlice(ctx: SliceContext): HistorySlice {
  const setEntries = (fn: (entries: readonly HistoryEntry[]) => readonly HistoryEntry[]): void =>
    ctx.update('history', (h) => ({ entries: fn(h.entries) }));
  return {
    entries: [],
    markMissedSeen() {
      if (!ctx.get().history.entries.some((e) => !e.seen)) return;
      setEntries((entries) => entries.map((e) => (e.seen ? e : { ...e, seen: true })));
    },
    remove(entryId) {
      setEntries((entries) => entries.filter((e) => e.id !== entryId));
    },
    clear() {
      setEntries(() => []);
    },
    callback(entryId, options = {}) {
      const entry = ctx.get().history.entries.find((e) => e.id === entryId);
      if (!entry) return { ok: false, reason: 'invalid-target' };
      if (!entry.seen)
        setEntries((entries) => entries.map((e) => (e.id === entryId ? { ...e, seen: true } : e)));
      return ctx.get().calls.dial(entry.party.number, options);
    },
  };
}
