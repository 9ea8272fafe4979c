import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { historySelectors } from '../slices/history/selectors';
import { connectedPhone, createTestPhone } from '../testing/test-phone';
import { createIndexedDbStorage } from './indexeddb-storage';
import { createMemoryStorage, type PersistenceStorage } from './storage';

let db = 0;
const freshIndexedDb = () => createIndexedDbStorage({ databaseName: `ringlet-test-${++db}` });

const goodEntry = {
  id: 'h1',
  callId: 'c1',
  direction: 'incoming',
  party: { name: 'Bob', number: '201' },
  video: false,
  startedAt: 1,
  answeredAt: null,
  endedAt: 2,
  durationMs: 0,
  result: 'missed',
  cause: 'cancel',
  seen: false,
};

describe('persistence across a reload (new store, same IndexedDB)', () => {
  it('brings back account, settings, contacts and history', async () => {
    const storage = freshIndexedDb();
    const phone = await connectedPhone({ storage });
    const s = () => phone.store.getState();
    s().settings.update({ theme: 'dark', language: 'fr' });
    s().contacts.startAdd({ name: 'Bob', number: '201' });
    s().contacts.saveDraft();
    phone.engine.remoteHangup(phone.engine.incoming({ name: 'Carol', number: '202' }));
    await phone.store.flush();

    const reloaded = createTestPhone({ storage });
    await reloaded.store.ready;
    const r = reloaded.store.getState();
    expect(r.persistence.status).toBe('ready');
    expect(r.account.saved).toEqual({ ...s().account.saved, password: '' });
    expect(r.account.draft).toEqual(r.account.saved);
    expect(r.settings.values).toEqual(s().settings.values);
    expect(r.contacts.items).toEqual(s().contacts.items);
    expect(r.history.entries).toEqual(s().history.entries);
    expect(historySelectors.missedCount(r)).toBe(1);
  });

  it('keeps what the person did while the data was loading', async () => {
    const storage = createMemoryStorage({
      contacts: { version: 1, data: [{ id: 'c1', name: 'Bob', number: '201' }] },
    });
    const phone = createTestPhone({ storage });
    phone.store.getState().account.editDraft({ displayName: 'Typed early' });
    phone.store.getState().contacts.startAdd({ name: 'Carol', number: '202' });
    phone.store.getState().contacts.saveDraft();
    await phone.store.ready;
    await phone.store.flush();
    expect(phone.store.getState().account.draft.displayName).toBe('Typed early');
    expect(phone.store.getState().contacts.items.map((c) => c.name)).toEqual(['Bob', 'Carol']);
    expect((storage.peek('contacts') as { data: unknown[] }).data).toHaveLength(2);
  });
});

describe('untrusted records read back', () => {
  it('drops a corrupt record with a log line and loads the rest', async () => {
    const storage = createMemoryStorage({
      history: '\u0000garbage',
      contacts: { version: 1, data: [{ id: 'c1', name: 'Bob', number: '201' }] },
      account: { version: 1, data: { form: { uri: 42 }, instanceId: 'urn:uuid:x' } },
      settings: { version: 99, data: {} },
    });
    const phone = createTestPhone({ storage });
    await phone.store.ready;
    const state = phone.store.getState();
    expect(state.persistence.status).toBe('ready');
    expect(state.contacts.items).toEqual([{ id: 'c1', name: 'Bob', number: '201' }]);
    expect(state.history.entries).toEqual([]);
    expect(state.account.saved).toBeNull();
    const warnings = phone.logs.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toEqual(
      expect.arrayContaining([
        'load() | dropped a corrupt history record',
        'load() | dropped a corrupt account record',
        'load() | dropped a corrupt settings record',
      ]),
    );
  });

  it('drops corrupt entries one by one and keeps the valid ones', async () => {
    const storage = createMemoryStorage({
      history: {
        version: 1,
        data: [
          goodEntry,
          { ...goodEntry, id: 'h2', result: 'exploded' },
          null,
          { ...goodEntry, id: 'h3', durationMs: -5 },
        ],
      },
      contacts: {
        version: 1,
        data: [{ id: 'c1', name: 'Bob', number: '201' }, { id: 'c2', name: '', number: '202' }, 'x'],
      },
    });
    const phone = createTestPhone({ storage });
    await phone.store.ready;
    expect(phone.store.getState().history.entries.map((e) => e.id)).toEqual(['h1']);
    expect(phone.store.getState().contacts.items.map((c) => c.id)).toEqual(['c1']);
    expect(
      phone.logs.filter((l) => l.message.startsWith('load() | dropped a corrupt history entry')),
    ).toHaveLength(3);
  });

  it('never resurrects a password stored while "remember" was off', async () => {
    const storage = createMemoryStorage({
      account: {
        version: 1,
        data: {
          instanceId: 'urn:uuid:x',
          form: {
            servers: ['wss://pbx.example.com/ws'],
            uri: 'sip:alice@example.com',
            authorizationUser: '',
            password: 'leaked',
            rememberPassword: false,
            displayName: '',
            iceServers: [],
          },
        },
      },
    });
    const phone = createTestPhone({ storage });
    await phone.store.ready;
    expect(phone.store.getState().account.saved?.password).toBe('');
  });

  it('runs in memory when the storage fails, and says so', async () => {
    const broken: PersistenceStorage = {
      get: () => Promise.reject(new Error('QuotaExceededError')),
      set: () => Promise.reject(new Error('QuotaExceededError')),
      delete: () => Promise.reject(new Error('QuotaExceededError')),
    };
    const phone = createTestPhone({ storage: broken });
    await phone.store.ready;
    expect(phone.store.getState().persistence.status).toBe('unavailable');
    phone.store.getState().settings.update({ theme: 'dark' });
    await phone.store.flush();
    expect(phone.store.getState().settings.values.theme).toBe('dark');
    expect(phone.logs.some((l) => l.message.startsWith('save() | storage failed, settings not saved'))).toBe(
      true,
    );
  });
});

describe('writes', () => {
  it('write the latest value once per burst of changes', async () => {
    const inner = createMemoryStorage();
    const writes: unknown[] = [];
    const storage: PersistenceStorage = {
      ...inner,
      set: (key, value) => {
        writes.push([key, value]);
        return inner.set(key, value);
      },
    };
    const phone = createTestPhone({ storage });
    await phone.store.ready;
    for (const volume of [0.1, 0.2, 0.3]) phone.store.getState().settings.update({ ringtoneVolume: volume });
    await phone.store.flush();
    expect(writes).toHaveLength(1);
    expect(inner.peek('settings')).toMatchObject({ version: 1, data: { ringtoneVolume: 0.3 } });
  });
});
