// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestPhone } from '../../../store/testing/test-phone';
import { descriptionOf, renderScreen } from '../../i18n/test-providers';
import { AccountSetup } from './AccountSetup';

afterEach(cleanup);

async function typeAccount(user: ReturnType<typeof userEvent.setup>, password = 'secret'): Promise<void> {
  await user.type(screen.getByLabelText('Server 1'), 'wss://pbx.example.com/ws');
  await user.type(screen.getByLabelText('SIP address'), 'sip:alice@example.com');
  await user.type(screen.getByLabelText('Password'), password);
}

describe('AccountSetup: validation', () => {
  it('shows the field messages on Save, marks the fields invalid and focuses the first one', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderScreen(<AccountSetup />, phone.store);

    await user.type(screen.getByLabelText('Server 1'), 'http://wrong');
    await user.type(screen.getByLabelText('SIP address'), 'alice');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const server = screen.getByLabelText('Server 1');
    const uri = screen.getByLabelText('SIP address');
    expect(server.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(server)).toBe('Enter a ws:// or wss:// URL.');
    expect(uri.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(uri)).toMatch(/sip:user@domain/);
    expect(document.activeElement).toBe(server);
    expect(screen.getByText('Fix 2 fields before saving.')).toBeTruthy();
  });

  it('clears a message as soon as the field is fixed', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderScreen(<AccountSetup />, phone.store);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('Enter at least one ws:// or wss:// URL.')).toBeTruthy();

    await user.type(screen.getByLabelText('Server 1'), 'ws://127.0.0.1:5062');

    expect(screen.queryByText('Enter at least one ws:// or wss:// URL.')).toBeNull();
    expect(screen.getByLabelText('Server 1').getAttribute('aria-invalid')).toBeNull();
  });

  it('translates the messages into French', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderScreen(<AccountSetup />, phone.store, 'fr');
    await user.click(screen.getByRole('button', { name: 'Enregistrer' }));
    expect(descriptionOf(screen.getByLabelText('Adresse SIP'))).toMatch(/sip:utilisateur@domaine/);
  });

  it('adds and removes server rows, and reports a bad URL on its own row', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderScreen(<AccountSetup />, phone.store);
    await user.type(screen.getByLabelText('Server 1'), 'wss://one.example.com');
    await user.click(screen.getByRole('button', { name: 'Add a server' }));
    await user.type(screen.getByLabelText('Server 2'), 'ftp://two');
    await user.type(screen.getByLabelText('SIP address'), 'sip:a@example.com');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(descriptionOf(screen.getByLabelText('Server 2'))).toBe('Enter a ws:// or wss:// URL.');
    expect(screen.getByLabelText('Server 1').getAttribute('aria-invalid')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Remove server 2' }));
    expect(screen.queryByLabelText('Server 2')).toBeNull();
    expect((screen.getByRole('button', { name: 'Remove server 1' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });

  it('asks for TURN credentials on an ICE server row', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderScreen(<AccountSetup />, phone.store);
    await user.click(screen.getByRole('button', { name: 'Add an ICE server' }));
    const row = screen.getByRole('group', { name: 'ICE server 1' });
    await user.type(within(row).getByLabelText('URL'), 'turn:turn.example.com');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(descriptionOf(within(row).getByLabelText('URL'))).toMatch(
      /A TURN server needs a user name and a password\./,
    );
  });

  it('keeps what was typed when the screen is left and shown again', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    const view = renderScreen(<AccountSetup />, phone.store);
    await user.type(screen.getByLabelText('SIP address'), 'sip:bob@exam');
    view.unmount();
    renderScreen(<AccountSetup />, phone.store);
    expect((screen.getByLabelText('SIP address') as HTMLInputElement).value).toBe('sip:bob@exam');
  });
});

describe('AccountSetup: remember the password on this device', () => {
  it('explains where the password is kept as the box is ticked', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderScreen(<AccountSetup />, phone.store);
    const box = screen.getByRole('checkbox', { name: 'Remember on this device' });
    expect((box as HTMLInputElement).checked).toBe(false);
    expect(descriptionOf(box)).toMatch(/stays in this tab only/);
    await user.click(box);
    expect((box as HTMLInputElement).checked).toBe(true);
    expect(descriptionOf(box)).toBe('The password is saved in this browser.');
  });

  it.each([
    [false, ''],
    [true, 'secret'],
  ])('remember=%s: after a reload the password field holds %j', async (remember, expected) => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderScreen(<AccountSetup />, phone.store);
    await typeAccount(user);
    if (remember) await user.click(screen.getByRole('checkbox', { name: 'Remember on this device' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('Account saved.')).toBeTruthy();
    await phone.store.flush();
    cleanup();

    const reloaded = createTestPhone({ storage: phone.storage });
    await reloaded.store.ready;
    renderScreen(<AccountSetup />, reloaded.store);
    expect((screen.getByLabelText('SIP address') as HTMLInputElement).value).toBe('sip:alice@example.com');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe(expected);
    if (!remember) expect(screen.getByText(/No password is stored on this device/)).toBeTruthy();
  });
});

describe('AccountSetup: test connection and connect', () => {
  it.each([
    [
      'no server answers',
      { startError: new Error('no server could be reached') },
      /Cannot connect to the server/,
    ],
    [
      'the password is wrong',
      {
        registerResult: {
          state: 'failed',
          cause: 'auth-failed',
          status: 401,
          reason: 'Unauthorized',
        } as const,
      },
      /user name or password is wrong/,
    ],
    [
      'the server refuses',
      { registerResult: { state: 'failed', cause: 'rejected', status: 403, reason: 'Forbidden' } as const },
      /The server refused this account \(403 Forbidden\)/,
    ],
    ['all is well', {}, /It works/],
  ])('says in plain words when %s', async (_name, script, message) => {
    const user = userEvent.setup();
    const phone = createTestPhone({ script });
    renderScreen(<AccountSetup />, phone.store);
    await typeAccount(user);
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText(message)).toBeTruthy();
  });

  it('saves and connects, then offers to disconnect', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderScreen(<AccountSetup />, phone.store);
    await typeAccount(user);
    await user.click(screen.getByRole('button', { name: 'Save and connect' }));
    const disconnect = await screen.findByRole('button', { name: 'Disconnect' });
    await user.click(disconnect);
    expect(await screen.findByRole('button', { name: 'Connect' })).toBeTruthy();
  });
});
