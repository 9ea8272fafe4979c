// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestPhone, saveAccount } from '../../../store/testing/test-phone';
import { renderScreen } from '../../i18n/test-providers';
import { StatusBar } from './StatusBar';

afterEach(cleanup);

describe('StatusBar', () => {
  it('without an account, offers to set one up', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    const shown: string[] = [];
    renderScreen(<StatusBar onNavigate={(s) => shown.push(s)} />, phone.store);
    expect(screen.getByText('No account set up')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Set up an account' }));
    expect(shown).toEqual(['account']);
  });

  it('connects, then shows and announces the registration', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    saveAccount(phone);
    renderScreen(<StatusBar onNavigate={() => undefined} />, phone.store);
    expect(screen.getByText('Offline')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('Registered')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Registered as sip:alice@example.com.');
  });

  it('gives the failure reason in plain words and offers to try again', async () => {
    const phone = createTestPhone({
      script: {
        registerResult: { state: 'failed', cause: 'auth-failed', status: 401, reason: 'Unauthorized' },
      },
    });
    saveAccount(phone);
    renderScreen(<StatusBar onNavigate={() => undefined} />, phone.store);
    await phone.store.getState().account.connect();
    expect(await screen.findByText('Registration failed')).toBeTruthy();
    // Shown in the bar and said by the live region.
    expect(screen.getAllByText(/Wrong user name or password\./)).toHaveLength(2);
    expect(screen.getByRole('status').textContent).toBe('Registration failed: Wrong user name or password.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('shows that it is reconnecting after the connection dropped', async () => {
    const phone = createTestPhone();
    saveAccount(phone);
    renderScreen(<StatusBar onNavigate={() => undefined} />, phone.store);
    await phone.store.getState().account.connect();
    const ua = phone.userAgents.at(-1);
    ua?.emitTransport('connecting');
    ua?.emitRegistration({ state: 'failed', cause: 'transport', reason: 'The connection was closed' });
    expect(await screen.findByText('Reconnecting…')).toBeTruthy();
    expect(screen.getByText('Trying again by itself.')).toBeTruthy();
  });

  it('says when do-not-disturb is on', () => {
    const phone = createTestPhone();
    phone.store.getState().settings.update({ doNotDisturb: true });
    renderScreen(<StatusBar onNavigate={() => undefined} />, phone.store);
    expect(screen.getByText('Do not disturb')).toBeTruthy();
  });
});
