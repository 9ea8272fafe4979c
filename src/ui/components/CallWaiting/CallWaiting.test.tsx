// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { callSelectors } from '../../../store/index';
import { connectedPhone } from '../../../store/testing/test-phone';
import { CallArea } from '../CallArea/CallArea';
import { play, playAsync, renderWithPhone } from '../CallArea/test-support';

afterEach(cleanup);

async function bobConnectedCarolWaiting() {
  const phone = await connectedPhone();
  const { store, engine } = phone;
  renderWithPhone(<CallArea />, store);
  const bob = play(() => engine.incoming({ name: 'Bob', number: '200' }));
  await playAsync(() => store.getState().calls.answer(bob));
  const carol = play(() => engine.incoming({ name: 'Carol', number: '300' }));
  return { ...phone, bob, carol, user: userEvent.setup() };
}

const lines = () => within(screen.getByRole('region', { name: 'Lines' })).getAllByRole('listitem');
const state = (phone: { store: Awaited<ReturnType<typeof connectedPhone>>['store'] }, id: string) =>
  callSelectors.call(phone.store.getState(), id)?.state;

describe('CallWaiting', () => {
  it('shows the second call as call waiting over the call in progress', async () => {
    await bobConnectedCarolWaiting();
    const waiting = screen.getByRole('region', { name: 'Call waiting' });
    expect(within(waiting).getByText('Carol')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Bob' })).toBeTruthy();
    expect(lines().map((l) => l.textContent)).toEqual([
      expect.stringContaining('Bob'),
      expect.stringContaining('Carol'),
    ]);
  });

  it('answering the second call holds the first', async () => {
    const phone = await bobConnectedCarolWaiting();
    await phone.user.click(screen.getByRole('button', { name: 'Hold and answer' }));
    expect(state(phone, phone.bob)).toBe('on-hold');
    expect(state(phone, phone.carol)).toBe('connected');
    expect(screen.getByRole('region', { name: 'Carol' })).toBeTruthy();
    expect(lines()[0]?.textContent).toContain('On hold');
  });

  it('switches between the two calls', async () => {
    const phone = await bobConnectedCarolWaiting();
    await phone.user.click(screen.getByRole('button', { name: 'Hold and answer' }));
    await phone.user.click(screen.getByRole('button', { name: 'Switch to the call with Bob' }));
    expect(state(phone, phone.bob)).toBe('connected');
    expect(state(phone, phone.carol)).toBe('on-hold');
    expect(screen.getByRole('region', { name: 'Bob' })).toBeTruthy();
    const [bobLine] = lines();
    expect(bobLine?.getAttribute('aria-current')).toBe('true');
    expect(bobLine?.textContent).toContain('In front');
  });

  it('declines the waiting call and keeps talking', async () => {
    const phone = await bobConnectedCarolWaiting();
    await phone.user.click(screen.getByRole('button', { name: 'Decline Carol' }));
    expect(state(phone, phone.carol)).toBe('ended');
    expect(state(phone, phone.bob)).toBe('connected');
    expect(screen.queryByRole('region', { name: 'Lines' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Call waiting' })).toBeNull();
  });

  it('answers the waiting call from the lines list too', async () => {
    const phone = await bobConnectedCarolWaiting();
    await phone.user.click(screen.getByRole('button', { name: 'Answer Carol, holding the current call' }));
    expect(state(phone, phone.bob)).toBe('on-hold');
    expect(state(phone, phone.carol)).toBe('connected');
  });
});
