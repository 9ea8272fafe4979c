// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { callSelectors } from '../../../store/index';
import { connectedPhone } from '../../../store/testing/test-phone';
import { FakeAudioContext, asAudioContext } from '../../audio/fake-audio-context';
import { Ringtone } from '../../audio/ringtone';
import type { NotificationAccess, NotificationPort } from '../../notifications/call-notifications';
import { CallAnnouncer } from './CallAnnouncer';
import { CallArea } from './CallArea';
import { play, playAsync, renderWithPhone } from './test-support';

afterEach(() => {
  cleanup();
  setVisibility('visible');
});

function setVisibility(value: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { value, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

const liveRegion = () => screen.getByRole('status', { name: '' });
const announced = () =>
  screen
    .getAllByRole('status')
    .map((region) => region.textContent)
    .join(' ');

class FakeNotifications implements NotificationPort {
  shown: Array<{ title: string; body: string; open: boolean }> = [];
  requested = 0;
  constructor(public access: NotificationAccess) {}
  permission() {
    return this.access;
  }
  async requestPermission() {
    this.requested++;
    this.access = 'granted';
    return this.access;
  }
  show(title: string, options: { body: string }) {
    const entry = { title, body: options.body, open: true };
    this.shown.push(entry);
    return { close: () => void (entry.open = false) };
  }
}

describe('CallArea: ringtone and the autoplay policy', () => {
  it('offers "Enable sound" while the AudioContext is suspended, in a banner and on the ringing card', async () => {
    const context = new FakeAudioContext({ allowResume: false });
    const ringtone = new Ringtone({ createContext: () => asAudioContext(context) });
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea ringtone={ringtone} />, store);
    expect(screen.getByText(/incoming calls would not ring/)).toBeTruthy();

    play(() => engine.incoming({ name: 'Bob', number: '200' }));
    const card = screen.getByRole('region', { name: 'Incoming call' });
    expect(
      within(card).getByText('The ringtone is silent: the browser blocks sound on this page.'),
    ).toBeTruthy();
    expect(ringtone.ringing).toBe('ring');

    // The click is the user gesture the browser waits for.
    context.allowResume = true;
    const user = userEvent.setup();
    await user.click(within(card).getByRole('button', { name: 'Enable sound' }));
    expect(context.state).toBe('running');
    expect(screen.queryByRole('button', { name: 'Enable sound' })).toBeNull();
  });

  it('shows no sound step when sound is allowed, and stops ringing once answered', async () => {
    const context = new FakeAudioContext({ state: 'running' });
    const ringtone = new Ringtone({ createContext: () => asAudioContext(context) });
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea ringtone={ringtone} />, store);
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
    expect(screen.queryByRole('button', { name: 'Enable sound' })).toBeNull();
    expect(context.tones.length).toBeGreaterThan(0);
    await playAsync(() => store.getState().calls.answer(id));
    expect(ringtone.ringing).toBeNull();
  });

  it('beeps quietly instead of ringing for a call waiting', async () => {
    const context = new FakeAudioContext({ state: 'running' });
    const ringtone = new Ringtone({ createContext: () => asAudioContext(context) });
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea ringtone={ringtone} />, store);
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
    await playAsync(() => store.getState().calls.answer(id));
    play(() => engine.incoming({ name: 'Carol', number: '300' }));
    expect(ringtone.ringing).toBe('waiting');
  });

  it('the one-time banner can be dismissed', async () => {
    const ringtone = new Ringtone({
      createContext: () => asAudioContext(new FakeAudioContext({ allowResume: false })),
    });
    const { store } = await connectedPhone();
    renderWithPhone(<CallArea ringtone={ringtone} />, store);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/incoming calls would not ring/)).toBeNull();
  });

  it('says so when the browser cannot play a ringtone at all', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea ringtone={new Ringtone({ createContext: () => null })} />, store);
    play(() => engine.incoming({ name: 'Bob', number: '200' }));
    expect(screen.getByText('This browser cannot play the ringtone.')).toBeTruthy();
  });
});

describe('CallArea: live region', () => {
  it('announces call state changes politely', async () => {
    const { store, engine } = await connectedPhone();
    // The shell mounts the announcer beside the call area (App.tsx), outside its hidden container.
    renderWithPhone(
      <>
        <CallAnnouncer />
        <CallArea />
      </>,
      store,
    );
    const region = liveRegion();
    expect(region.getAttribute('aria-live')).toBe('polite');
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
    expect(region.textContent).toContain('Incoming call from Bob.');
    await playAsync(() => store.getState().calls.answer(id));
    expect(region.textContent).toContain('Call with Bob connected.');
    play(() => engine.remoteHold(id));
    expect(region.textContent).toContain('Bob put you on hold.');
    play(() => engine.remoteAnswer(id));
    expect(region.textContent).toContain('Bob took you off hold.');
    play(() => store.getState().calls.setMuted(id, true));
    expect(region.textContent).toContain('Microphone muted.');
    play(() => engine.remoteHangup(id));
    expect(region.textContent).toContain('Call with Bob ended.');
  });
});

describe('CallArea: do-not-disturb and auto-answer (store settings)', () => {
  it('shows a visible note when do-not-disturb turned a call away', async () => {
    const { store, engine } = await connectedPhone();
    store.getState().settings.update({ doNotDisturb: true });
    renderWithPhone(
      <>
        <CallAnnouncer />
        <CallArea />
      </>,
      store,
    );
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
    expect(callSelectors.call(store.getState(), id)?.state).toBe('ended');
    expect(screen.queryByRole('region', { name: 'Incoming call' })).toBeNull();
    expect(screen.getByText(/^Do not disturb turned away a call from Bob at /)).toBeTruthy();
    expect(announced()).toContain('Do not disturb turned away a call from Bob.');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/^Do not disturb turned away a call from Bob at /)).toBeNull();
  });

  it('an auto-answered call goes straight to the call screen', async () => {
    const { store, engine } = await connectedPhone();
    store.getState().settings.update({ autoAnswer: true });
    renderWithPhone(<CallArea />, store);
    play(() => engine.incoming({ name: 'Bob', number: '200' }));
    await act(async () => {});
    expect(screen.getByRole('region', { name: 'Bob' })).toBeTruthy();
  });
});

describe('CallArea: notifications while the tab is hidden', () => {
  it('notifies a ringing call only while hidden, and closes it once answered', async () => {
    const notifications = new FakeNotifications('granted');
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea notifications={notifications} />, store);
    const first = play(() => engine.incoming({ name: 'Bob', number: '200' }));
    expect(notifications.shown).toEqual([]);
    act(() => setVisibility('hidden'));
    expect(notifications.shown).toEqual([{ title: 'Incoming call', body: 'Bob · 200', open: true }]);
    await playAsync(() => store.getState().calls.answer(first));
    expect(notifications.shown[0]?.open).toBe(false);
  });

  it('asks permission only when the person clicks', async () => {
    const notifications = new FakeNotifications('default');
    const { store } = await connectedPhone();
    renderWithPhone(<CallArea notifications={notifications} />, store);
    expect(notifications.requested).toBe(0);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Enable call notifications' }));
    expect(notifications.requested).toBe(1);
    expect(screen.queryByRole('button', { name: 'Enable call notifications' })).toBeNull();
  });
});

describe('CallArea: shortcuts', () => {
  it('Alt+Shift+Enter answers and Alt+Shift+E hangs up; the list shows them', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
    const user = userEvent.setup();
    await user.keyboard('{Alt>}{Shift>}{Enter}{/Shift}{/Alt}');
    expect(callSelectors.call(store.getState(), id)?.state).toBe('connected');
    await user.keyboard('{Alt>}{Shift>}E{/Shift}{/Alt}');
    expect(callSelectors.call(store.getState(), id)?.state).toBe('ended');
    const list = screen.getByText('Call shortcuts').closest('details');
    expect(list?.textContent).toContain('Alt+Shift+MMute or unmute');
  });
});
