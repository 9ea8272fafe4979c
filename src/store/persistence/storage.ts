/**
 * The persistence port: a small async key/value store holding plain data. The browser uses
 * IndexedDB ({@link createIndexedDbStorage}); tests and storage-less embeddings use
 * {@link createMemoryStorage}. Values are structured-cloned, so what comes back is never the object
 * that was written, and must be validated like any other untrusted input.
 */

/** One record per persisted slice. */
export type PersistedKey = 'account' | 'settings' | 'contacts' | 'history';

export const PERSISTED_KEYS: readonly PersistedKey[] = ['account', 'settings', 'contacts', 'history'];

export interface PersistenceStorage {
  /** Resolves with the stored value, or `undefined` when there is none; rejects when storage fails. */
  get(key: PersistedKey): Promise<unknown>;
  set(key: PersistedKey, value: unknown): Promise<void>;
  delete(key: PersistedKey): Promise<void>;
}

export interface MemoryStorage extends PersistenceStorage {
  /** What is stored now under `key` (a copy), for tests. */
  peek(key: PersistedKey): unknown;
}

/** Storage kept in memory for the life of the object: survives a new store, not a page reload. */
export function createMemoryStorage(initial: Partial<Record<PersistedKey, unknown>> = {}): MemoryStorage {
  const data = new Map<PersistedKey, unknown>();
  for (const [key, value] of Object.entries(initial)) data.set(key as PersistedKey, structuredClone(value));
  return {
    get: async (key) => structuredClone(data.get(key)),
    set: async (key, value) => {
      data.set(key, structuredClone(value));
    },
    delete: async (key) => {
      data.delete(key);
    },
    peek: (key) => structuredClone(data.get(key)),
  };
}
