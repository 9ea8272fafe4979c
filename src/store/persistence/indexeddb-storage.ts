/**
 * {@link PersistenceStorage} on IndexedDB through `idb-keyval`: one database, one object store, one
 * record per persisted slice.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { PersistenceStorage } from './storage';

export interface IndexedDbStorageOptions {
  /** Default `ringlet`. */
  readonly databaseName?: string;
  /** Default `phone`. */
  readonly storeName?: string;
}

/**
 * The database is opened on first use, not on creation, so building a store never touches IndexedDB
 * where it is missing. Where IndexedDB is missing or refuses (private browsing), every call rejects
 * and the store carries on in memory.
 */
export function createIndexedDbStorage(options: IndexedDbStorageOptions = {}): PersistenceStorage {
  const databaseName = options.databaseName ?? 'ringlet';
  const storeName = options.storeName ?? 'phone';
  let db: UseStore | undefined;
  const open = (): UseStore => (db ??= createStore(databaseName, storeName));
  return {
    // `async` turns a synchronous throw (no `indexedDB` global) into a rejection.
    get: async (key) => get<unknown>(key, open()),
    set: async (key, value) => set(key, value, open()),
    delete: async (key) => del(key, open()),
  };
}
