import type { PhoneState } from '../../phone-state';
import { memoizeLast } from '../../support/memo';
import type { HistoryEntry } from './slice';

const missedEntries = memoizeLast((entries: readonly HistoryEntry[]) =>
  entries.filter((e) => e.result === 'missed'),
);
const missedCount = memoizeLast((entries: readonly HistoryEntry[]) => entries.filter((e) => !e.seen).length);

/** Named selectors for the history screen and the badge; list results keep their identity. */
export const historySelectors = {
  /** Newest first. */
  entries: (s: PhoneState) => s.history.entries,
  entry: (s: PhoneState, id: string) => s.history.entries.find((e) => e.id === id),
  missed: (s: PhoneState) => missedEntries(s.history.entries),
  /** The missed-call badge: missed calls not yet seen. */
  missedCount: (s: PhoneState) => missedCount(s.history.entries),
};
