// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../../store/index';
import { connectedPhone, createTestPhone } from '../../../store/testing/test-phone';
import { descriptionOf, renderScreen } from '../../i18n/test-providers';
import { Contacts } from './Contacts';

afterEach(cleanup);

const SAVED = [
  { id: 'k1', name: 'Bob Martin', number: 'sip:bob@example.com' },
  { id: 'k2', name: 'Zoë Dupont', number: '+33 6 12 34 56 78' },
  { id: 'k3', name: 'Help desk', number: '1000' },
];

async function phoneWithContacts(connected = false) {
  const storage = createMemoryStorage({ contacts: { version: 1, data: SAVED } });
  const phone = connected ? await connectedPhone({ storage }) : createTestPhone({ storage });
  await phone.store.ready;
  return phone;
}

const names = () =>
  within(screen.getByRole('list', { name: 'Contacts' }))
    .getAllByRole('listitem')
    .map((item) => item.querySelector('.contacts__name')?.textContent);

describe('Contacts: add and edit', () => {
  it('validates the new contact, then lists it, and keeps it across a reload', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderScreen(<Contacts />, phone.store);
    expect(screen.getByText('No contacts yet.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Add contact' }));
    const form = screen.getByRole('form', { name: 'New contact' });
    expect(document.activeElement).toBe(within(form).getByLabelText('Name'));
    await user.click(within(form).getByRole('button', { name: 'Save contact' }));
    expect(descriptionOf(within(form).getByLabelText('Name'))).toBe('Enter a name.');
    expect(descriptionOf(within(form).getByLabelText('Number or SIP address'))).toMatch(
      /Enter a phone number or SIP address\./,
    );

    await user.type(within(form).getByLabelText('Name'), 'Alice');
    await user.type(within(form).getByLabelText('Number or SIP address'), '+33 1 23 45 67 89');
    await user.click(within(form).getByRole('button', { name: 'Save contact' }));

    expect(screen.queryByRole('form')).toBeNull();
    expect(names()).toEqual(['Alice']);
    await phone.store.flush();
    cleanup();
    const reloaded = createTestPhone({ storage: phone.storage });
    await reloaded.store.ready;
    renderScreen(<Contacts />, reloaded.store);
    expect(names()).toEqual(['Alice']);
  });

  it('edits a contact in place', async () => {
    const user = userEvent.setup();
    const phone = await phoneWithContacts();
    renderScreen(<Contacts />, phone.store);
    await user.click(screen.getByRole('button', { name: 'Edit Help desk' }));
    const name = within(screen.getByRole('form', { name: 'Edit contact' })).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Support');
    await user.click(screen.getByRole('button', { name: 'Save contact' }));
    expect(names()).toEqual(['Bob Martin', 'Support', 'Zoë Dupont']);
  });
});

describe('Contacts: delete', () => {
  it('asks before deleting; Keep keeps the contact, Delete removes it', async () => {
    const user = userEvent.setup();
    const phone = await phoneWithContacts();
    renderScreen(<Contacts />, phone.store);

    await user.click(screen.getByRole('button', { name: 'Delete Bob Martin' }));
    const confirm = screen.getByRole('group', { name: 'Delete Bob Martin' });
    expect(confirm.textContent).toMatch(/Delete Bob Martin\? This cannot be undone\./);
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Keep' }));
    await user.click(within(confirm).getByRole('button', { name: 'Keep' }));
    expect(names()).toEqual(['Bob Martin', 'Help desk', 'Zoë Dupont']);

    await user.click(screen.getByRole('button', { name: 'Delete Bob Martin' }));
    await user.click(
      within(screen.getByRole('group', { name: 'Delete Bob Martin' })).getByRole('button', {
        name: 'Delete',
      }),
    );
    expect(names()).toEqual(['Help desk', 'Zoë Dupont']);
  });
});

describe('Contacts: search and call', () => {
  it('filters by name or number as the person types', async () => {
    const user = userEvent.setup();
    const phone = await phoneWithContacts();
    renderScreen(<Contacts />, phone.store);
    const search = screen.getByRole('searchbox', { name: 'Search contacts' });
    await user.type(search, 'zoë');
    expect(names()).toEqual(['Zoë Dupont']);
    await user.clear(search);
    await user.type(search, '612345');
    expect(names()).toEqual(['Zoë Dupont']);
    await user.clear(search);
    await user.type(search, 'nobody');
    expect(screen.getByText('No contact matches “nobody”.')).toBeTruthy();
  });

  it('calls a contact (audio or video) through the store', async () => {
    const user = userEvent.setup();
    const phone = await phoneWithContacts(true);
    const shown: string[] = [];
    renderScreen(<Contacts onNavigate={(s) => shown.push(s)} />, phone.store);
    await user.click(screen.getByRole('button', { name: 'Video call Help desk' }));
    expect(phone.engines.at(-1)?.commands).toContain('call 1000 video');
    expect(shown).toEqual(['phone']);
  });

  it('says why a call could not start', async () => {
    const user = userEvent.setup();
    const phone = await phoneWithContacts();
    renderScreen(<Contacts />, phone.store);
    await user.click(screen.getByRole('button', { name: 'Call Bob Martin' }));
    expect(screen.getByRole('alert').textContent).toBe('Not connected: connect your account first.');
  });
});
