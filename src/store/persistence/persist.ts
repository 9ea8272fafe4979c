/**
 * Keeps the persisted slices (account, settings, contacts, history) in a {@link PersistenceStorage}.
 *
 * Loading treats every record as untrusted: each is wrapped in `{ version, data }`, and each slice
 * reads its own data with a validator. A corrupt record (or entry) is dropped with a log line and the
 * rest loads; a storage that fails leaves the phone running in memory. Saving writes a slice's record
 * whenever its data changes, one write at a time, the latest value winning.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { PhoneState, SliceContext } from '../phone-state';
import { EMPTY_ACCOUNT_FORM } from '../slices/account/validate-account';
import { readAccountRecord, toAccountRecord } from '../slices/account/slice';
import { readContactsRecord } from '../slices/contacts/slice';
import { readHistoryRecord } from '../slices/history/slice';
import { DEFAULT_SETTINGS, readSettingsRecord, type Settings } from '../slices/settings/slice';
import { isRecord } from '../support/guards';
import { errorText, type StoreLogger } from '../support/log';
import type { PersistedKey, PersistenceStorage } from './storage';

/** Bump when a record's shape changes incompatibly (and teach `read` the old one). */
export const RECORD_VERSION = 1;

interface PersistedSliceSpec<T> {
  readonly key: PersistedKey;
  /** The data whose change triggers a write (compared with `Object.is`). */
  pick(state: PhoneState): readonly unknown[];
  toData(state: PhoneState): unknown;
  read(data: unknown, log: StoreLogger): T | undefined;
  /** Merges loaded data into the state, keeping anything the person did while it loaded. */
  apply(ctx: SliceContext, value: T): void;
}

const spec = <T>(s: PersistedSliceSpec<T>): PersistedSliceSpec<unknown> => s as PersistedSliceSpec<unknown>;

const SPECS: readonly PersistedSliceSpec<unknown>[] = [
  spec({
    key: 'account',
    pick: (s) => [s.account.saved, s.account.instanceId],
    toData: (s) => toAccountRecord(s.account),
    read: readAccountRecord,
    apply(ctx, record) {
      ctx.update('account', (a) => {
        if (a.saved !== null) return { instanceId: record.instanceId ?? a.instanceId };
        return {
          saved: record.form,
          instanceId: record.instanceId ?? a.instanceId,
          // A draft the person already started typing is theirs.
          ...(a.dirty ? {} : { draft: record.form ?? EMPTY_ACCOUNT_FORM }),
        };
      });
    },
  }),
  spec({
    key: 'settings',
    pick: (s) => [s.settings.values],
    toData: (s) => ({ ...s.settings.values }),
    read: readSettingsRecord,
    apply(ctx, loaded) {
      ctx.update('settings', (s) => {
        const values = { ...loaded } as Record<keyof Settings, unknown>;
        for (const k of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
          if (s.values[k] !== DEFAULT_SETTINGS[k]) values[k] = s.values[k];
        }
        return { values: values as unknown as Settings };
      });
    },
  }),
  spec({
    key: 'contacts',
    pick: (s) => [s.contacts.items],
    toData: (s) => s.contacts.items.map((c) => ({ ...c })),
    read: readContactsRecord,
    apply(ctx, loaded) {
      ctx.update('contacts', (c) => {
        const ids = new Set(loaded.map((x) => x.id));
        return { items: [...loaded, ...c.items.filter((x) => !ids.has(x.id))] };
      });
    },
  }),
  spec({
    key: 'history',
    pick: (s) => [s.history.entries],
    toData: (s) => s.history.entries.map((e) => ({ ...e, party: { ...e.party } })),
    read: readHistoryRecord,
    apply(ctx, loaded) {
      ctx.update('history', (h) => {
        const ids = new Set(h.entries.map((x) => x.id));
        const entries = [...h.entries, ...loaded.filter((x) => !ids.has(x.id))].sort(
          (a, b) => b.endedAt - a.endedAt,
        );
        return { entries };
      });
    },
  }),
];

/**
 * Loads every persisted slice into the store, then marks persistence `ready` (or `unavailable` when
 * the storage failed). Never rejects.
 */
export async function hydrate(
  ctx: SliceContext,
  storage: PersistenceStorage,
  log: StoreLogger,
): Promise<void> {
  const outcomes = await Promise.all(
    SPECS.map(async (s) => {
      let raw: unknown;
      try {
        raw = await storage.get(s.key);
      } catch (error) {
        log.warn(`load() | storage failed, ${s.key} not loaded`, { error: errorText(error) });
        return false;
      }
      if (raw === undefined) return true;
      const data = isRecord(raw) && raw['version'] === RECORD_VERSION ? s.read(raw['data'], log) : undefined;
      if (data === undefined) {
        log.warn(`load() | dropped a corrupt ${s.key} record`);
        return true;
      }
      s.apply(ctx, data);
      return true;
    }),
  );
  const available = outcomes.every(Boolean);
  ctx.update('persistence', { status: available ? 'ready' : 'unavailable' });
}

export interface Persister {
  /** Resolves when every write asked for so far has finished. */
  flush(): Promise<void>;
  stop(): void;
}

/**
 * Writes each persisted slice when its data changes, once loading is over. Writes run one at a time;
 * several changes of one slice while a write is queued produce one write of the latest value.
 */
export function startPersisting(
  store: StoreApi<PhoneState>,
  storage: PersistenceStorage,
  log: StoreLogger,
): Persister {
  const written = new Map<PersistedKey, readonly unknown[]>();
  for (const s of SPECS) written.set(s.key, s.pick(store.getState()));
  const queued = new Set<PersistedKey>();
  let tail: Promise<void> = Promise.resolve();

  const enqueue = (s: PersistedSliceSpec<unknown>): void => {
    if (queued.has(s.key)) return;
    queued.add(s.key);
    tail = tail.then(async () => {
      queued.delete(s.key);
      const record = { version: RECORD_VERSION, data: s.toData(store.getState()) };
      try {
        await storage.set(s.key, record);
      } catch (error) {
        log.warn(`save() | storage failed, ${s.key} not saved`, { error: errorText(error) });
      }
    });
  };

  const unsubscribe = store.subscribe((state) => {
    if (state.persistence.status === 'loading') return;
    for (const s of SPECS) {
      const picked = s.pick(state);
      const before = written.get(s.key) ?? [];
      if (picked.length === before.length && picked.every((v, i) => Object.is(v, before[i]))) continue;
      written.set(s.key, picked);
      enqueue(s);
    }
  });

  return {
    async flush() {
      let seen: Promise<void> | undefined;
      while (seen !== tail) {
        seen = tail;
        await tail;
      }
    },
    stop: unsubscribe,
  };
}
