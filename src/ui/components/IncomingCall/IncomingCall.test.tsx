// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { callSelectors } from '../../../store/index';
import { connectedPhone } from '../../../store/testing/test-phone';
import { CallArea } from '../CallArea/CallArea';
import { play, playAsync, renderWithPhone } from '../CallArea/test-support';

afterEach(cleanup);

const card = (name: string | RegExp = /incoming/i) => screen.getByRole('region', { name });

describe('IncomingCall', () => {
  it('shows the caller name and number as text, even when the name carries markup', async () => {
    const { store, engine } = await connectedPhone();
    const { container } = renderWithPhone(<CallArea />, store);
    play(() => engine.incoming({ name: '<b>Bob</b><img src=x onerror=alert(1)>', number: '+33 1 23' }));
    const incoming = await screen.findByRole('region', { name: 'Incoming call' });
    expect(within(incoming).getByText('<b>Bob</b><img src=x onerror=alert(1)>')).toBeTruthy();
    expect(within(incoming).getByText('+33 1 23')).toBeTruthy();
    expect(container.querySelector('b, img')).toBeNull();
  });

  it('names a caller without a display name by number, and an anonymous one as unknown', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    const first = play(() => engine.incoming({ name: '', number: '200' }));
    expect(within(card()).getByText('200')).toBeTruthy();
    await playAsync(() => store.getState().calls.decline(first));
    play(() => engine.incoming({ name: '', number: '' }));
    expect(within(card()).getByText('Unknown caller')).toBeTruthy();
  });

  it('Answer answers with audio and shows the call', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
    const user = userEvent.setup();
    await user.click(within(card()).getByRole('button', { name: 'Answer' }));
    expect(engine.commands).toContain(`answer ${id}`);
    const call = screen.getByRole('region', { name: 'Bob' });
    expect(within(call).getByText('Connected')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Incoming call' })).toBeNull();
  });

  it('offers Answer with video for a video call', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }, { video: true }));
    const user = userEvent.setup();
    await user.click(within(card('Incoming video call')).getByRole('button', { name: 'Answer with video' }));
    expect(engine.commands).toContain(`answer ${id} video`);
    expect(callSelectors.call(store.getState(), id)?.video).toBe(true);
  });

  it('has no video answer for an audio call', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    play(() => engine.incoming({ name: 'Bob', number: '200' }));
    expect(within(card()).queryByRole('button', { name: 'Answer with video' })).toBeNull();
  });

  it('Decline turns the call away (486) and brings the dialpad back', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
    const user = userEvent.setup();
    await user.click(within(card()).getByRole('button', { name: 'Decline' }));
    expect(engine.commands).toContain(`reject ${id} 486`);
    expect(screen.getByRole('textbox', { name: 'Number or SIP address' })).toBeTruthy();
    expect(screen.getByText('Call with Bob ended: declined')).toBeTruthy();
  });

  it('shows the answer shortcut on the button', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    play(() => engine.incoming({ name: 'Bob', number: '200' }));
    const answer = within(card()).getByRole('button', { name: 'Answer' });
    expect(answer.getAttribute('aria-keyshortcuts')).toBe('Alt+Shift+Enter');
    expect(answer.textContent).toContain('Alt+Shift+Enter');
  });
});
