// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { connectedPhone } from '../../../store/testing/test-phone';
import { CallArea } from '../CallArea/CallArea';
import { play, playAsync, renderWithPhone } from '../CallArea/test-support';

afterEach(cleanup);

async function keypadInCall() {
  const { store, engine } = await connectedPhone();
  renderWithPhone(<CallArea />, store);
  const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
  await playAsync(() => store.getState().calls.answer(id));
  const user = userEvent.setup();
  const toggle = screen.getByRole('button', { name: 'Keypad' });
  await user.click(toggle);
  return { store, engine, id, user, toggle, keypad: screen.getByRole('group', { name: 'Keypad for tones' }) };
}

describe('DtmfKeypad (RFC 4733 tones through the store)', () => {
  it('opens from the Keypad button, which says it is expanded', async () => {
    const { toggle, user } = await keypadInCall();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('group', { name: 'Keypad for tones' })).toBeNull();
  });

  it('sends each clicked key as a tone and shows what was sent', async () => {
    const { engine, id, keypad, user } = await keypadInCall();
    await user.click(within(keypad).getByRole('button', { name: 'Send 1' }));
    await user.click(within(keypad).getByRole('button', { name: 'Send #' }));
    expect(engine.dtmf).toEqual([`${id}:1`, `${id}:#`]);
    expect(within(keypad).getByText('Sent: 1#')).toBeTruthy();
  });

  it('sends digits typed while the keypad has focus, and ignores other keys', async () => {
    const { engine, id, keypad, user } = await keypadInCall();
    within(keypad).getByRole('button', { name: 'Send 5' }).focus();
    await user.keyboard('9*x');
    expect(engine.dtmf).toEqual([`${id}:9`, `${id}:*`]);
  });

  it('is not offered while the call is not established', async () => {
    const { store } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    play(() => store.getState().calls.dial('200'));
    expect(screen.getByRole('button', { name: 'Keypad' })).toHaveProperty('disabled', true);
  });
});
