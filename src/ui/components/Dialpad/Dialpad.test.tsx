// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectedPhone, createTestPhone } from '../../../store/testing/test-phone';
import { renderWithPhone } from '../CallArea/test-support';
import { Dialpad, LONG_PRESS_MS } from './Dialpad';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const numberField = () => screen.getByRole<HTMLInputElement>('textbox', { name: 'Number or SIP address' });

describe('Dialpad', () => {
  it('keeps what is typed in the store draft', async () => {
    const { store } = await connectedPhone();
    renderWithPhone(<Dialpad />, store);
    const user = userEvent.setup();
    await user.type(numberField(), 'bob@example.com');
    expect(numberField().value).toBe('bob@example.com');
    expect(store.getState().calls.dialDraft).toBe('bob@example.com');
  });

  it('types digits with the keys, and with the keyboard while a key has focus', async () => {
    const { store } = await connectedPhone();
    renderWithPhone(<Dialpad />, store);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '1' }));
    await user.click(screen.getByRole('button', { name: '2' }));
    await user.click(screen.getByRole('button', { name: '#' }));
    await user.keyboard('45*');
    expect(numberField().value).toBe('12#45*');
  });

  it('cleans pasted numbers: separators and tel: go, the + stays', async () => {
    const { store } = await connectedPhone();
    renderWithPhone(<Dialpad />, store);
    const user = userEvent.setup();
    await user.click(numberField());
    await user.paste('tel:+33 (1) 23-45-67-89\n');
    expect(numberField().value).toBe('+33123456789');
  });

  it('pastes at the caret, keeping what was typed around it', async () => {
    const { store } = await connectedPhone();
    renderWithPhone(<Dialpad />, store);
    const user = userEvent.setup();
    await user.type(numberField(), '19');
    numberField().setSelectionRange(1, 1);
    await user.paste('2 3 4');
    expect(numberField().value).toBe('12349');
  });

  it('backspace removes the last character and is disabled when empty', async () => {
    const { store } = await connectedPhone();
    renderWithPhone(<Dialpad />, store);
    const user = userEvent.setup();
    const backspace = screen.getByRole('button', { name: 'Delete the last character' });
    expect(backspace).toHaveProperty('disabled', true);
    await user.type(numberField(), '123');
    await user.click(backspace);
    expect(numberField().value).toBe('12');
  });

  it(`holding 0 for ${LONG_PRESS_MS} ms types +; a short press types 0`, async () => {
    vi.useFakeTimers();
    const { store } = await connectedPhone();
    renderWithPhone(<Dialpad />, store);
    const zero = screen.getByRole('button', { name: '0, hold for +' });

    fireEvent.pointerDown(zero);
    act(() => vi.advanceTimersByTime(LONG_PRESS_MS));
    fireEvent.pointerUp(zero);
    fireEvent.click(zero);
    expect(numberField().value).toBe('+');

    fireEvent.pointerDown(zero);
    act(() => vi.advanceTimersByTime(LONG_PRESS_MS - 200));
    fireEvent.pointerUp(zero);
    fireEvent.click(zero);
    act(() => vi.advanceTimersByTime(LONG_PRESS_MS));
    expect(numberField().value).toBe('+0');
  });

  it('types + from the keyboard too', async () => {
    const { store } = await connectedPhone();
    renderWithPhone(<Dialpad />, store);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '0, hold for +' }));
    await user.keyboard('{Backspace}+44');
    expect(numberField().value).toBe('+44');
  });

  it('Call and Enter start an audio call, Video call a video call; the draft is cleared', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<Dialpad />, store);
    const user = userEvent.setup();
    await user.type(numberField(), '200{Enter}');
    await user.type(numberField(), '201');
    await user.click(screen.getByRole('button', { name: 'Video call' }));
    await user.type(numberField(), '202');
    await user.click(screen.getByRole('button', { name: 'Call' }));
    expect(engine.commands.filter((c) => c.startsWith('call'))).toEqual([
      'call 200',
      'call 201 video',
      'call 202',
    ]);
    expect(numberField().value).toBe('');
  });

  it('redials the last number', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<Dialpad />, store);
    const user = userEvent.setup();
    expect(screen.getByRole('button', { name: 'Redial' })).toHaveProperty('disabled', true);
    await user.type(numberField(), '0123 456{Enter}');
    await user.click(screen.getByRole('button', { name: 'Redial 0123456' }));
    expect(engine.commands.filter((c) => c.startsWith('call'))).toEqual(['call 0123456', 'call 0123456']);
  });

  it('says why a call could not start', async () => {
    const phone = createTestPhone();
    await phone.store.ready;
    renderWithPhone(<Dialpad />, phone.store);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Call' }));
    expect(screen.getByRole('alert').textContent).toBe('Type a number or a SIP address first.');
    await user.type(numberField(), '200{Enter}');
    expect(screen.getByRole('alert').textContent).toBe('Not connected: connect your account first.');
    await user.type(numberField(), '<b>');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
