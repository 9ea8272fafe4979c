import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../../sip/index';
import { createMemoryStorage } from '../../persistence/storage';
import { connectedPhone, createTestPhone } from '../../testing/test-phone';
import { contactSelectors } from './selectors';
import { validateContact } from './slice';

function addContact(phone: ReturnType<typeof createTestPhone>, name: string, number: string): void {
  const contacts = () => phone.store.getState().contacts;
  contacts().startAdd();
  contacts().editDraft({ name, number });
  const result = contacts().saveDraft();
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
}

describe('validateContact()', () => {
  it.each([
    [{ name: '', number: '201' }, { name: 'Enter a name' }],
    [{ name: 'Bob', number: ' ' }, { number: 'Enter a phone number or SIP address' }],
    [
      { name: 'Bob', number: 'sip:bob@' },
      { number: 'Use digits, +, * and #, or a SIP address like sip:bob@example.com' },
    ],
    [{ name: 'x'.repeat(101), number: '201' }, { name: 'Name must be 100 characters or fewer' }],
    [{ name: 'Bob', number: '+33 1 23 45 67 89' }, {}],
    [{ name: 'Bob', number: 'bob@example.com' }, {}],
  ])('%j → %j', (form, expected) => {
    const messages = Object.fromEntries(
      Object.entries(validateContact(form)).map(([k, v]) => [k, v.message]),
    );
    expect(messages).toEqual(expected);
  });
});

describe('contacts', () => {
  it('adds, edits and deletes contacts', () => {
    const phone = createTestPhone();
    const contacts = () => phone.store.getState().contacts;
    addContact(phone, 'Bob', '201');
    const bob = contactSelectors.all(phone.store.getState())[0];
    expect(bob).toMatchObject({ name: 'Bob', number: '201' });
    contacts().startEdit(bob?.id ?? '');
    contacts().editDraft({ name: 'Bob Martin' });
    contacts().saveDraft();
    expect(contactSelectors.byId(phone.store.getState(), bob?.id ?? '')?.name).toBe('Bob Martin');
    contacts().remove(bob?.id ?? '');
    expect(contactSelectors.all(phone.store.getState())).toEqual([]);
  });

  it('keeps an invalid form as typed, with messages that follow the fixes', () => {
    const phone = createTestPhone();
    const contacts = () => phone.store.getState().contacts;
    contacts().startAdd({ number: '201' });
    const result = contacts().saveDraft();
    expect(result.ok).toBe(false);
    expect(contacts().draft).toMatchObject({ values: { name: '', number: '201' } });
    expect(contacts().draft?.errors['name']?.code).toBe('contact-name-required');
    contacts().editDraft({ name: 'Bob' });
    expect(contacts().draft?.errors).toEqual({});
    expect(contacts().items).toEqual([]);
  });

  it('searches by name or number, sorted by name, ignoring case and separators', () => {
    const phone = createTestPhone();
    addContact(phone, 'zoé', '+33 1 23 45');
    addContact(phone, 'Bob', '201');
    addContact(phone, 'Alice', 'sip:alice@example.com');
    const names = () => contactSelectors.filtered(phone.store.getState()).map((c) => c.name);
    expect(names()).toEqual(['Alice', 'Bob', 'zoé']);
    phone.store.getState().contacts.setQuery('ALI');
    expect(names()).toEqual(['Alice']);
    phone.store.getState().contacts.setQuery('3312');
    expect(names()).toEqual(['zoé']);
    expect(contactSelectors.byNumber(phone.store.getState(), '+331 2345')?.name).toBe('zoé');
  });

  it('calls a contact', async () => {
    const phone = await connectedPhone();
    addContact(phone, 'Bob', '201');
    const bob = contactSelectors.all(phone.store.getState())[0];
    expect(phone.store.getState().contacts.call(bob?.id ?? '').ok).toBe(true);
    expect(phone.engine.commands).toEqual(['call 201']);
  });

  it('throws InvalidStateError when editing without an open form or an unknown contact', () => {
    const { store } = createTestPhone();
    expect(() => store.getState().contacts.editDraft({ name: 'x' })).toThrow(InvalidStateError);
    expect(() => store.getState().contacts.startEdit('nope')).toThrow(InvalidStateError);
  });

  it('survives a reload', async () => {
    const storage = createMemoryStorage();
    const phone = createTestPhone({ storage });
    await phone.store.ready;
    addContact(phone, 'Bob', '201');
    await phone.store.flush();
    const reloaded = createTestPhone({ storage });
    await reloaded.store.ready;
    expect(contactSelectors.all(reloaded.store.getState())).toEqual(
      contactSelectors.all(phone.store.getState()),
    );
  });
});
