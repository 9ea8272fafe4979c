import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../sip/index';
import { createMemoryStorage } from '../../persistence/storage';
import { connectedPhone, createTestPhone } from '../../testing/test-phone';
import { settingsSelectors } from './selectors';
import { DEFAULT_SETTINGS, type Language, type Theme } from './slice';

describe('settings', () => {
  it('starts from the defaults', () => {
    const { store } = createTestPhone();
    expect(settingsSelectors.values(store.getState())).toEqual(DEFAULT_SETTINGS);
  });

  it('changes settings, clamping the ringtone volume', () => {
    const { store } = createTestPhone();
    store.getState().settings.update({ theme: 'dark', language: 'fr', ringtoneVolume: 3, autoAnswer: true });
    expect(settingsSelectors.values(store.getState())).toMatchObject({
      theme: 'dark',
      language: 'fr',
      ringtoneVolume: 1,
      autoAnswer: true,
    });
    store.getState().settings.update({ ringtoneVolume: -1 });
    expect(settingsSelectors.ringtoneVolume(store.getState())).toBe(0);
  });

  it('throws InvalidArgumentError for a theme or language that does not exist', () => {
    const { store } = createTestPhone();
    expect(() => store.getState().settings.update({ theme: 'blue' as Theme })).toThrow(InvalidArgumentError);
    expect(() => store.getState().settings.update({ language: 'xx' as Language })).toThrow(
      InvalidArgumentError,
    );
  });

  it('switches the devices of live calls when a device is chosen', async () => {
    const { store, engine } = await connectedPhone();
    store.getState().settings.setDevice('microphone', 'mic-2');
    expect(settingsSelectors.selectedDevice(store.getState(), 'microphone')).toBe('mic-2');
    expect(engine.devices).toEqual({ microphoneId: 'mic-2', speakerId: null, cameraId: null });
  });

  it('survives a reload', async () => {
    const storage = createMemoryStorage();
    const phone = createTestPhone({ storage });
    await phone.store.ready;
    phone.store
      .getState()
      .settings.update({ theme: 'light', doNotDisturb: true, cameraId: 'cam-1', lastDialled: '201' });
    await phone.store.flush();
    const reloaded = createTestPhone({ storage });
    await reloaded.store.ready;
    expect(settingsSelectors.values(reloaded.store.getState())).toEqual(
      settingsSelectors.values(phone.store.getState()),
    );
  });

  it('loads a record with a bad field, resetting only that field', async () => {
    const storage = createMemoryStorage({
      settings: { version: 1, data: { ...DEFAULT_SETTINGS, theme: 'neon', ringtoneVolume: 0.3 } },
    });
    const phone = createTestPhone({ storage });
    await phone.store.ready;
    expect(settingsSelectors.values(phone.store.getState())).toMatchObject({
      theme: 'system',
      ringtoneVolume: 0.3,
    });
    expect(phone.logs.some((l) => l.level === 'warn' && l.message.includes('theme'))).toBe(true);
  });
});
