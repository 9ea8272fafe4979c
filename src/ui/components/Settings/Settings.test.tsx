// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceInfoLike, MediaDevicesPort } from '../../../store/index';
import { createTestPhone } from '../../../store/testing/test-phone';
import { renderScreen } from '../../i18n/test-providers';
import { Settings } from './Settings';

afterEach(cleanup);

function fakeDevices(
  devices: DeviceInfoLike[],
): MediaDevicesPort & { list: DeviceInfoLike[]; change(): void } {
  const listeners = new Set<() => void>();
  return {
    list: devices,
    enumerateDevices() {
      return Promise.resolve(this.list);
    },
    onDeviceChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    change() {
      for (const l of listeners) l();
    },
  };
}

const DEVICES: DeviceInfoLike[] = [
  { deviceId: 'mic-1', kind: 'audioinput', label: 'Desk microphone' },
  { deviceId: 'mic-2', kind: 'audioinput', label: 'Headset microphone' },
  { deviceId: 'spk-1', kind: 'audiooutput', label: 'Headset' },
  { deviceId: 'cam-1', kind: 'videoinput', label: '' },
];

/** A stand-in for a MediaStream: the meter only asks for its audio tracks. */
function fakeStream(): MediaStream & { stopped: boolean } {
  const stream = {
    stopped: false,
    getAudioTracks: () => [],
    getTracks: () => [{ stop: () => void (stream.stopped = true) }],
  };
  return stream as unknown as MediaStream & { stopped: boolean };
}

const options = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option')
    .map((o) => o.textContent);

describe('Settings: devices', () => {
  it('lists the devices by kind and remembers the choice', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone({ mediaDevices: fakeDevices(DEVICES) });
    await phone.store.ready;
    renderScreen(<Settings />, phone.store);
    const mic = await screen.findByRole('combobox', { name: 'Microphone' });
    await waitFor(() => expect(options(mic)).toHaveLength(3));
    expect(options(mic)).toEqual(['System default', 'Desk microphone', 'Headset microphone']);
    // A device without a name (no permission yet) still gets one.
    expect(options(screen.getByRole('combobox', { name: 'Camera' }))).toEqual(['System default', 'Camera 1']);

    await user.selectOptions(mic, 'Headset microphone');
    expect((mic as HTMLSelectElement).value).toBe('mic-2');
    expect(phone.store.getState().settings.values.microphoneId).toBe('mic-2');
  });

  it('tells the person when the chosen device was unplugged', async () => {
    const user = userEvent.setup();
    const devices = fakeDevices(DEVICES);
    const phone = createTestPhone({ mediaDevices: devices });
    await phone.store.ready;
    renderScreen(<Settings />, phone.store);
    const mic = await screen.findByRole('combobox', { name: 'Microphone' });
    await waitFor(() => expect(options(mic)).toHaveLength(3));
    await user.selectOptions(mic, 'Headset microphone');

    devices.list = DEVICES.filter((d) => d.deviceId !== 'mic-2');
    devices.change();

    const notice = await screen.findByText(/“Headset microphone” was disconnected/);
    const alert = notice.closest('[role="alert"]') as HTMLElement;
    expect((mic as HTMLSelectElement).value).toBe('');
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/was disconnected/)).toBeNull();
  });

  it('shows a live level meter while the microphone test runs, and stops the microphone after', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    const opened: Array<string | null> = [];
    const stream = fakeStream();
    renderScreen(
      <Settings
        media={{
          openMicrophone: (id) => {
            opened.push(id);
            return Promise.resolve(stream);
          },
        }}
      />,
      phone.store,
    );
    await user.click(screen.getByRole('button', { name: 'Test microphone' }));
    expect(screen.getByRole('meter', { name: 'Microphone level' })).toBeTruthy();
    expect(opened).toEqual([null]);
    await user.click(screen.getByRole('button', { name: 'Stop microphone test' }));
    expect(screen.queryByRole('meter')).toBeNull();
    expect(stream.stopped).toBe(true);
  });

  it('says why the microphone could not be opened', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    const denied = new DOMException('Permission denied', 'NotAllowedError');
    renderScreen(<Settings media={{ openMicrophone: () => Promise.reject(denied) }} />, phone.store);
    await user.click(screen.getByRole('button', { name: 'Test microphone' }));
    expect(
      (await screen.findByText(/The microphone could not be opened: Permission denied/)).textContent,
    ).toBeTruthy();
  });

  it('plays the test sound on the chosen speaker', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    const played: Array<string | null> = [];
    renderScreen(
      <Settings
        playTestSound={(speakerId) => {
          played.push(speakerId);
          return Promise.resolve();
        }}
      />,
      phone.store,
    );
    await user.click(screen.getByRole('button', { name: 'Play test sound' }));
    expect(played).toEqual([null]);
  });
});

describe('Settings: calls and appearance', () => {
  it('reflects each change at once and keeps it across a reload', async () => {
    const user = userEvent.setup();
    const phone = createTestPhone();
    renderScreen(<Settings />, phone.store);

    await user.click(screen.getByRole('checkbox', { name: 'Do not disturb' }));
    await user.click(screen.getByRole('checkbox', { name: 'Answer incoming calls automatically' }));
    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    const volume = screen.getByRole('slider', { name: 'Ringtone volume' });
    fireEvent.change(volume, { target: { value: '70' } });

    expect((screen.getByRole('checkbox', { name: 'Do not disturb' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('radio', { name: 'Dark' }) as HTMLInputElement).checked).toBe(true);
    expect(volume.getAttribute('aria-valuetext')).toBe('70 %');

    await phone.store.flush();
    cleanup();
    const reloaded = createTestPhone({ storage: phone.storage });
    await reloaded.store.ready;
    renderScreen(<Settings />, reloaded.store);
    expect((screen.getByRole('checkbox', { name: 'Do not disturb' }) as HTMLInputElement).checked).toBe(true);
    expect(
      (screen.getByRole('checkbox', { name: 'Answer incoming calls automatically' }) as HTMLInputElement)
        .checked,
    ).toBe(true);
    expect((screen.getByRole('radio', { name: 'Dark' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('slider', { name: 'Ringtone volume' }).getAttribute('aria-valuetext')).toBe(
      '70 %',
    );
  });

  it('lists the keyboard shortcuts of the registered commands', () => {
    const phone = createTestPhone();
    renderScreen(<Settings />, phone.store);
    const list = screen.getByRole('heading', { name: 'Keyboard shortcuts' }).parentElement as HTMLElement;
    expect(list.textContent).toMatch(/Show the call history.*Alt\+Shift\+2/);
  });
});
