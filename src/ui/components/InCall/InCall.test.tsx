// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { callSelectors } from '../../../store/index';
import type { FakeCallEngine } from '../../../store/testing/fake-call-engine';
import { START_TIME, connectedPhone } from '../../../store/testing/test-phone';
import { CallArea } from '../CallArea/CallArea';
import { play, playAsync, renderWithPhone } from '../CallArea/test-support';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const callCard = (name = 'Bob') => screen.getByRole('region', { name });
const stateText = (name = 'Bob') => callCard(name).querySelector('.call-state')?.textContent;
const timer = () => within(callCard()).getByRole('timer', { name: 'Call duration' });

async function inCallWithBob(): Promise<{
  engine: FakeCallEngine;
  id: string;
  store: Awaited<ReturnType<typeof connectedPhone>>['store'];
}> {
  const { store, engine } = await connectedPhone();
  renderWithPhone(<CallArea />, store);
  const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
  await playAsync(() => store.getState().calls.answer(id));
  return { store, engine, id };
}

describe('InCall: states of an outgoing call', () => {
  it('shows calling, ringing, early media, connected and held by the other side', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    const result = play(() => store.getState().calls.dial('200'));
    const id = result.ok ? result.callId : '';
    expect(stateText('200')).toBe('Calling…');
    play(() => engine.remoteRinging(id));
    expect(stateText('200')).toBe('Ringing…');
    play(() => engine.remoteEarlyMedia(id));
    expect(stateText('200')).toBe('Early media: hearing the other side');
    play(() => engine.remoteAnswer(id, { name: 'Bob', number: '200' }));
    expect(stateText()).toBe('Connected');
    play(() => engine.remoteHold(id));
    expect(stateText()).toBe('Held by the other side');
  });

  it('has no timer and no hold before the answer', async () => {
    const { store } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    play(() => store.getState().calls.dial('200'));
    expect(within(callCard('200')).queryByRole('timer')).toBeNull();
    expect(within(callCard('200')).getByRole('button', { name: 'Hold' })).toHaveProperty('disabled', true);
  });
});

describe('InCall: duration', () => {
  it('runs from the answer, once a second', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(START_TIME);
    await inCallWithBob();
    expect(timer().textContent).toBe('0:00');
    act(() => vi.advanceTimersByTime(65_000));
    expect(timer().textContent).toBe('1:05');
    act(() => vi.advanceTimersByTime(3600_000));
    expect(timer().textContent).toBe('1:01:05');
  });
});

describe('InCall: controls', () => {
  it('Mute toggles and the state is shown in words', async () => {
    const { engine, id } = await inCallWithBob();
    const user = userEvent.setup();
    const mute = within(callCard()).getByRole('button', { name: 'Mute' });
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    await user.click(mute);
    expect(mute.getAttribute('aria-pressed')).toBe('true');
    expect(within(callCard()).getByText('Microphone muted')).toBeTruthy();
    expect(engine.commands).toContain(`mute ${id} true`);
    await user.click(mute);
    expect(mute.getAttribute('aria-pressed')).toBe('false');
    expect(within(callCard()).queryByText('Microphone muted')).toBeNull();
  });

  it('Hold holds and resumes', async () => {
    const { engine, id } = await inCallWithBob();
    const user = userEvent.setup();
    const hold = within(callCard()).getByRole('button', { name: 'Hold' });
    await user.click(hold);
    expect(stateText()).toBe('On hold');
    expect(hold.getAttribute('aria-pressed')).toBe('true');
    await user.click(hold);
    expect(stateText()).toBe('Connected');
    expect(engine.commands).toEqual(expect.arrayContaining([`hold ${id}`, `resume ${id}`]));
  });

  it('the keyboard shortcuts mute and hold, and are shown on the buttons', async () => {
    const { store, id } = await inCallWithBob();
    const user = userEvent.setup();
    await user.keyboard('{Alt>}{Shift>}M{/Shift}{/Alt}');
    expect(callSelectors.call(store.getState(), id)?.muted).toBe(true);
    await user.keyboard('{Alt>}{Shift>}O{/Shift}{/Alt}');
    expect(stateText()).toBe('On hold');
    const mute = within(callCard()).getByRole('button', { name: 'Mute' });
    expect(mute.getAttribute('aria-keyshortcuts')).toBe('Alt+Shift+M');
  });

  it('Hang up ends the call and brings the dialpad back', async () => {
    const { engine, id } = await inCallWithBob();
    const user = userEvent.setup();
    await user.click(within(callCard()).getByRole('button', { name: 'Hang up' }));
    expect(engine.commands).toContain(`hangup ${id}`);
    expect(screen.queryByRole('region', { name: 'Bob' })).toBeNull();
    expect(screen.getByRole('textbox', { name: 'Number or SIP address' })).toBeTruthy();
    expect(screen.getByText('Call with Bob ended: hung up (0:00)')).toBeTruthy();
  });

  it('switches the microphone mid-call through the store', async () => {
    const devices = [
      { kind: 'audioinput', deviceId: 'mic-1', label: 'Built-in', groupId: '' },
      { kind: 'audioinput', deviceId: 'mic-2', label: 'Headset', groupId: '' },
      { kind: 'audiooutput', deviceId: 'spk-1', label: 'Speakers', groupId: '' },
    ];
    const { store, engine } = await connectedPhone({
      mediaDevices: { enumerateDevices: async () => devices, onDeviceChange: () => () => undefined },
    });
    await playAsync(() => store.getState().devices.refresh());
    renderWithPhone(<CallArea />, store);
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
    await playAsync(() => store.getState().calls.answer(id));
    const user = userEvent.setup();
    await user.click(screen.getByText('Audio and video devices'));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Microphone' }), 'Headset');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Speaker or headset' }), 'Speakers');
    expect(engine.devices).toEqual({ microphoneId: 'mic-2', speakerId: 'spk-1', cameraId: null });
    expect(callSelectors.call(store.getState(), id)?.state).toBe('connected');
  });

  it('tells the person when the chosen microphone was unplugged', async () => {
    let devices = [{ kind: 'audioinput', deviceId: 'mic-2', label: 'Headset', groupId: '' }];
    const { store } = await connectedPhone({
      mediaDevices: { enumerateDevices: async () => devices, onDeviceChange: () => () => undefined },
    });
    await playAsync(() => store.getState().devices.refresh());
    store.getState().settings.setDevice('microphone', 'mic-2');
    renderWithPhone(<CallArea />, store);
    play(() => store.getState().calls.dial('200'));
    devices = [{ kind: 'audioinput', deviceId: 'mic-1', label: 'Built-in', groupId: '' }];
    await playAsync(() => store.getState().devices.refresh());
    expect(
      screen.getByText('The microphone “Headset” was disconnected: using the default microphone.'),
    ).toBeTruthy();
  });
});

describe('InCall: camera', () => {
  it('turns the camera off and on through the store, the button showing the state', async () => {
    const user = userEvent.setup();
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea />, store);
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }, { video: true }));
    await playAsync(() => store.getState().calls.answer(id, { video: true }));
    const camera = within(callCard()).getByRole('button', { name: /Camera/ });
    expect(camera.getAttribute('aria-pressed')).toBe('false');
    await user.click(camera);
    expect(engine.commands).toContain(`camera ${id} false`);
    expect(callSelectors.cameraOn(store.getState(), id)).toBe(false);
    expect(camera.getAttribute('aria-pressed')).toBe('true');
    await user.click(camera);
    expect(engine.commands).toContain(`camera ${id} true`);
    expect(camera.getAttribute('aria-pressed')).toBe('false');
  });
});

describe('InCall: DTMF received from the other side', () => {
  const received = (name = 'Bob') =>
    within(callCard(name)).queryByRole('note', { name: 'Tones received from the other side' });

  it('shows the digits in the call card as they arrive, with no announcement per digit', async () => {
    const { engine, id } = await inCallWithBob();
    expect(received()).toBeNull();
    play(() => engine.remoteDtmf(id, '1'));
    play(() => engine.remoteDtmf(id, '#'));
    const note = received();
    expect(note?.textContent).toBe('Received: 1#');
    expect(within(callCard()).getByText('Received: 1#')).toBe(note);
    expect(note?.closest('[aria-live]')).toBeNull();
  });

  it('says it in French', async () => {
    const { store, engine } = await connectedPhone();
    renderWithPhone(<CallArea />, store, 'fr');
    const id = play(() => engine.incoming({ name: 'Bob', number: '200' }));
    await playAsync(() => store.getState().calls.answer(id));
    play(() => engine.remoteDtmf(id, '1#'));
    const note = within(callCard()).getByRole('note', { name: 'Tonalités reçues de l’autre côté' });
    expect(note.textContent).toBe('Reçu : 1#');
  });
});
