import { describe, expect, it } from 'vitest';
import type { DeviceInfoLike, MediaDevicesPort } from '../../ports/media-devices';
import { connectedPhone, createTestPhone } from '../../testing/test-phone';
import { deviceSelectors } from './selectors';

class FakeMediaDevices implements MediaDevicesPort {
  devices: DeviceInfoLike[] = [];
  failing = false;
  #listeners = new Set<() => void>();
  async enumerateDevices(): Promise<readonly DeviceInfoLike[]> {
    if (this.failing) throw new Error('NotAllowedError');
    return this.devices;
  }
  onDeviceChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  change(devices: DeviceInfoLike[]): void {
    this.devices = devices;
    for (const l of this.#listeners) l();
  }
}

const mic = (deviceId: string, label = deviceId): DeviceInfoLike => ({ deviceId, kind: 'audioinput', label });
const speaker = (deviceId: string): DeviceInfoLike => ({ deviceId, kind: 'audiooutput', label: deviceId });
const camera = (deviceId: string): DeviceInfoLike => ({ deviceId, kind: 'videoinput', label: deviceId });

/** Lets the store's pending device work (a listing after a change) finish. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('devices (Media Capture and Streams §9.2 enumerateDevices / devicechange)', () => {
  it('lists microphones, speakers and cameras, without the browser aliases', async () => {
    const media = new FakeMediaDevices();
    media.devices = [mic('default', 'Default'), mic('mic-1', 'USB'), speaker('spk-1'), camera('cam-1')];
    const { store } = createTestPhone({ mediaDevices: media });
    await store.ready;
    await settle();
    expect(deviceSelectors.status(store.getState())).toBe('ready');
    expect(deviceSelectors.list(store.getState(), 'microphone')).toEqual([
      { deviceId: 'mic-1', label: 'USB' },
    ]);
    expect(deviceSelectors.list(store.getState(), 'speaker')).toHaveLength(1);
    expect(deviceSelectors.hasCamera(store.getState())).toBe(true);
  });

  it('falls back to the default device when the selected one is unplugged, flags it, and switches live calls', async () => {
    const media = new FakeMediaDevices();
    media.devices = [mic('mic-1', 'Headset'), mic('mic-2', 'Built-in')];
    const phone = await connectedPhone({ mediaDevices: media });
    await settle();
    phone.store.getState().settings.setDevice('microphone', 'mic-1');

    media.change([mic('mic-2', 'Built-in')]);
    await settle();
    const state = phone.store.getState();
    expect(state.settings.values.microphoneId).toBeNull();
    expect(deviceSelectors.fallback(state, 'microphone')).toEqual({ deviceId: 'mic-1', label: 'Headset' });
    expect(phone.engine.devices).toEqual({ microphoneId: null, speakerId: null, cameraId: null });

    phone.store.getState().devices.dismissFallback('microphone');
    expect(deviceSelectors.fallback(phone.store.getState(), 'microphone')).toBeNull();
  });

  it('keeps the choice while the browser hides device ids (no permission yet)', async () => {
    const media = new FakeMediaDevices();
    media.devices = [mic('', '')];
    const phone = createTestPhone({ mediaDevices: media });
    phone.store.getState().settings.setDevice('microphone', 'mic-1');
    await phone.store.ready;
    await settle();
    expect(phone.store.getState().settings.values.microphoneId).toBe('mic-1');
    expect(deviceSelectors.fallback(phone.store.getState(), 'microphone')).toBeNull();
  });

  it('reports unavailable when listing fails or there is no media-devices port', async () => {
    const media = new FakeMediaDevices();
    media.failing = true;
    const phone = createTestPhone({ mediaDevices: media });
    await phone.store.ready;
    await settle();
    expect(deviceSelectors.status(phone.store.getState())).toBe('unavailable');

    const none = createTestPhone();
    await none.store.getState().devices.refresh();
    expect(deviceSelectors.status(none.store.getState())).toBe('unavailable');
  });
});
