/**
 * Settings slice: devices chosen, ringtone volume, auto-answer, do-not-disturb, theme, language and
 * the last dialled number (for redial). Persisted as one record; read back field by field, so one bad
 * field falls back to its default without losing the others.
 */
import { InvalidArgumentError } from '../../../sip/index';
import type { SliceContext } from '../../phone-state';
import { isRecord, oneOf, readBoolean, readNullableString, readNumber } from '../../support/guards';
import type { StoreLogger } from '../../support/log';

export type Theme = 'light' | 'dark' | 'system';
export const THEMES: readonly Theme[] = ['light', 'dark', 'system'];

/** English and French; add a language here and in the UI's message catalogues. */
export type Language = 'en' | 'fr';
export const LANGUAGES: readonly Language[] = ['en', 'fr'];

export type DeviceKind = 'microphone' | 'speaker' | 'camera';
export const DEVICE_KINDS: readonly DeviceKind[] = ['microphone', 'speaker', 'camera'];

export interface Settings {
  /** `null` is the system default device. */
  readonly microphoneId: string | null;
  readonly speakerId: string | null;
  readonly cameraId: string | null;
  /** 0 (silent) to 1. */
  readonly ringtoneVolume: number;
  readonly autoAnswer: boolean;
  readonly doNotDisturb: boolean;
  readonly theme: Theme;
  readonly language: Language;
  readonly lastDialled: string | null;
}

export interface SettingsSlice {
  readonly values: Settings;
  /**
   * Changes some settings. Volume is clamped to 0..1.
   * @throws InvalidArgumentError for a theme or language that does not exist.
   */
  update(patch: Partial<Settings>): void;
  /** Chooses a device (`null`: the default) and switches live calls to it. */
  setDevice(kind: DeviceKind, deviceId: string | null): void;
}

export const DEFAULT_SETTINGS: Settings = {
  microphoneId: null,
  speakerId: null,
  cameraId: null,
  ringtoneVolume: 0.8,
  autoAnswer: false,
  doNotDisturb: false,
  theme: 'system',
  language: 'en',
  lastDialled: null,
};

export const DEVICE_SETTING: Readonly<Record<DeviceKind, 'microphoneId' | 'speakerId' | 'cameraId'>> = {
  microphone: 'microphoneId',
  speaker: 'speakerId',
  camera: 'cameraId',
};

function clampVolume(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : DEFAULT_SETTINGS.ringtoneVolume;
}

/** A stored settings record; each invalid field falls back to its default (one log line). */
export function readSettingsRecord(value: unknown, log: StoreLogger): Settings | undefined {
  if (!isRecord(value)) return undefined;
  const d = DEFAULT_SETTINGS;
  const read: { [K in keyof Settings]: Settings[K] | undefined } = {
    microphoneId: readNullableString(value, 'microphoneId', 500),
    speakerId: readNullableString(value, 'speakerId', 500),
    cameraId: readNullableString(value, 'cameraId', 500),
    ringtoneVolume: readNumber(value, 'ringtoneVolume'),
    autoAnswer: readBoolean(value, 'autoAnswer'),
    doNotDisturb: readBoolean(value, 'doNotDisturb'),
    theme: oneOf(THEMES, value['theme']),
    language: oneOf(LANGUAGES, value['language']),
    lastDialled: readNullableString(value, 'lastDialled', 256),
  };
  const bad = (Object.keys(read) as Array<keyof Settings>).filter((k) => read[k] === undefined && k in value);
  if (bad.length) log.warn('load() | settings fields reset to defaults', { fields: bad.join(',') });
  return {
    microphoneId: read.microphoneId ?? d.microphoneId,
    speakerId: read.speakerId ?? d.speakerId,
    cameraId: read.cameraId ?? d.cameraId,
    ringtoneVolume: clampVolume(read.ringtoneVolume ?? d.ringtoneVolume),
    autoAnswer: read.autoAnswer ?? d.autoAnswer,
    doNotDisturb: read.doNotDisturb ?? d.doNotDisturb,
    theme: read.theme ?? d.theme,
    language: read.language ?? d.language,
    lastDialled: read.lastDialled ?? d.lastDialled,
  };
}

/** Tells the engine which devices live calls should use now. */
export function pushDevicesToEngine(ctx: SliceContext): void {
  const { microphoneId, speakerId, cameraId } = ctx.get().settings.values;
  ctx.live.engine?.selectDevices?.({ microphoneId, speakerId, cameraId });
}

export function createSettingsSlice(ctx: SliceContext): SettingsSlice {
  return {
    values: DEFAULT_SETTINGS,
    update(patch) {
      if (patch.theme !== undefined && !THEMES.includes(patch.theme)) {
        throw new InvalidArgumentError(`settings.update(): unknown theme ${JSON.stringify(patch.theme)}`);
      }
      if (patch.language !== undefined && !LANGUAGES.includes(patch.language)) {
        throw new InvalidArgumentError(
          `settings.update(): unknown language ${JSON.stringify(patch.language)}`,
        );
      }
      const next: Settings = { ...ctx.get().settings.values, ...patch };
      ctx.update('settings', { values: { ...next, ringtoneVolume: clampVolume(next.ringtoneVolume) } });
      if ('microphoneId' in patch || 'speakerId' in patch || 'cameraId' in patch) pushDevicesToEngine(ctx);
    },
    setDevice(kind, deviceId) {
      ctx.get().settings.update({ [DEVICE_SETTING[kind]]: deviceId });
      ctx.update('devices', (d) => {
        if (!d.fallback[kind]) return {};
        const fallback = { ...d.fallback };
        delete fallback[kind];
        return { fallback };
      });
    },
  };
}
