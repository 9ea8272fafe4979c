// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../store/index';
import { createMemoryStorage } from '../../../store/index';
import { START_TIME, connectedPhone, createTestPhone } from '../../../store/testing/test-phone';
import { renderScreen } from '../../i18n/test-providers';
import { Navigation } from '../Navigation/Navigation';
import { History } from './History';
import { formatDuration } from './format';

afterEach(cleanup);

function entry(patch: Partial<HistoryEntry> & Pick<HistoryEntry, 'id'>): HistoryEntry {
  return {
    callId: `call-${patch.id}`,
    direction: 'incoming',
    party: { name: 'Bob', number: 'sip:bob@example.com' },
    video: false,
    startedAt: START_TIME,
    answeredAt: START_TIME + 5_000,
    endedAt: START_TIME + 130_000,
    durationMs: 125_000,
    result: 'answered',
    cause: 'bye',
    seen: true,
    ...patch,
  };
}

const ENTRIES: HistoryEntry[] = [
  entry({ id: 'a' }),
  entry({
    id: 'b',
    party: { name: '', number: '+33123456789' },
    result: 'missed',
    answeredAt: null,
    durationMs: 0,
    seen: false,
  }),
  entry({
    id: 'c',
    direction: 'outgoing',
    party: { name: 'Carol', number: '1002' },
    result: 'rejected',
    answeredAt: null,
    durationMs: 0,
  }),
];

/** A phone whose storage already holds these calls, as after a reload. */
async function phoneWith(entries: HistoryEntry[], connected = false) {
  const storage = createMemoryStorage({ history: { version: 1, data: entries } });
  const phone = connected ? await connectedPhone({ storage }) : createTestPhone({ storage });
  await phone.store.ready;
  return phone;
}

describe('History list', () => {
  it('shows each call with direction, party, result and duration in words', async () => {
    const phone = await phoneWith(ENTRIES);
    renderScreen(<History />, phone.store);
    const items = within(screen.getByRole('list', { name: 'Calls, newest first' })).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]?.textContent).toMatch(/Bob.*sip:bob@example\.com.*Incoming.*Answered.*Duration 2:05/);
    expect(items[1]?.textContent).toMatch(/\+33123456789.*Incoming.*Missed/);
    expect(items[2]?.textContent).toMatch(/Carol.*1002.*Outgoing.*Declined/);
    expect(within(items[0] as HTMLElement).getByText(/2025/)).toBeTruthy();
  });

  it('says so when there are no calls', () => {
    const phone = createTestPhone();
    renderScreen(<History />, phone.store);
    expect(screen.getByText(/No calls yet/)).toBeTruthy();
  });

  it('clears the missed-call badge of the navigation once the history is seen', async () => {
    const phone = await phoneWith(ENTRIES);
    const nav = renderScreen(<Navigation current="phone" onNavigate={() => undefined} />, phone.store);
    expect(screen.getByRole('button', { name: /History.*1 missed call/ })).toBeTruthy();
    nav.unmount();

    renderScreen(
      <>
        <Navigation current="history" onNavigate={() => undefined} />
        <History />
      </>,
      phone.store,
    );
    expect(screen.getByRole('button', { name: 'History' })).toBeTruthy();
    expect(screen.queryByText(/missed call/)).toBeNull();
  });

  it('deletes every call after a confirmation', async () => {
    const user = userEvent.setup();
    const phone = await phoneWith(ENTRIES);
    renderScreen(<History />, phone.store);
    await user.click(screen.getByRole('button', { name: 'Clear history' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    await user.click(screen.getByRole('button', { name: 'Clear history' }));
    await user.click(screen.getByRole('button', { name: 'Delete all' }));
    expect(screen.getByText(/No calls yet/)).toBeTruthy();
  });
});

describe('History call back', () => {
  it('calls the party back and moves to the phone screen', async () => {
    const user = userEvent.setup();
    const phone = await phoneWith(ENTRIES, true);
    const shown: string[] = [];
    renderScreen(<History onNavigate={(s) => shown.push(s)} />, phone.store);
    await user.click(screen.getByRole('button', { name: 'Call back Carol' }));
    expect(phone.engines.at(-1)?.commands).toContain('call 1002');
    expect(shown).toEqual(['phone']);
  });

  it('says why it cannot call when the account is not connected', async () => {
    const user = userEvent.setup();
    const phone = await phoneWith(ENTRIES);
    renderScreen(<History />, phone.store);
    await user.click(screen.getByRole('button', { name: 'Call back Bob' }));
    expect(screen.getByRole('alert').textContent).toBe('Not connected: connect your account first.');
  });

  it('offers to add an unknown number to the contacts', async () => {
    const user = userEvent.setup();
    const phone = await phoneWith(ENTRIES);
    const shown: string[] = [];
    renderScreen(<History onNavigate={(s) => shown.push(s)} />, phone.store);
    await user.click(screen.getByRole('button', { name: 'Add +33123456789 to contacts' }));
    expect(shown).toEqual(['contacts']);
    expect(phone.store.getState().contacts.draft?.values.number).toBe('+33123456789');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [59_400, '0:59'],
    [125_000, '2:05'],
    [3_725_000, '1:02:05'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
