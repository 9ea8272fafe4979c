/**
 * Settings: devices (with a live microphone level meter and a test sound), ringtone volume,
 * auto-answer, do-not-disturb, theme, language, and the keyboard shortcuts list. Every change goes
 * straight to the settings slice (persisted there); device changes reach live calls through it.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DEVICE_KINDS,
  LANGUAGES,
  THEMES,
  deviceSelectors,
  settingsSelectors,
  type DeviceKind,
  type DeviceOption,
  type Language,
  type Settings as SettingsValues,
  type Theme,
} from '../../../store/index';
import type { MediaAccess } from '../../app-bootstrap';
import { commands as registeredCommands, type Command } from '../../commands/index';
import { usePhone, usePhoneStore } from '../../phone-context';
import { CheckField, FieldError } from '../../theme/Field';
import { MicIcon, SpeakerIcon } from '../../theme/icons';
import { LevelMeter } from '../LevelMeter/LevelMeter';
import { canSelectSpeaker, playTestSound as defaultPlayTestSound } from './test-sound';
import './Settings.css';

export interface SettingsProps {
  /** Opens the microphone for the level meter; absent where the browser cannot. */
  media?: MediaAccess;
  /** Default: the Web Audio chime of test-sound.ts. */
  playTestSound?: (speakerId: string | null, volume: number) => Promise<void>;
  /** Commands listed under "Keyboard shortcuts"; default the registry. */
  commands?: readonly Command[];
}

/** The browser's words for a failure (`DOMException`s are not `Error`s everywhere). */
function reasonOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { message, name } = error as { message?: unknown; name?: unknown };
    if (typeof message === 'string' && message) return message;
    if (typeof name === 'string' && name) return name;
  }
  return String(error);
}

function DevicePicker({ kind, disabled, hint }: { kind: DeviceKind; disabled?: boolean; hint?: string }) {
  const { t } = useTranslation('settings');
  const store = usePhoneStore();
  const list = usePhone((s) => deviceSelectors.list(s, kind));
  const selected = usePhone((s) => settingsSelectors.selectedDevice(s, kind));
  const fallback = usePhone((s) => deviceSelectors.fallback(s, kind));
  const options = list.filter((d: DeviceOption) => d.deviceId !== '');
  const id = `settings-${kind}`;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {t(`devices.${kind}`)}
      </label>
      <select
        id={id}
        className="select"
        value={selected ?? ''}
        disabled={disabled}
        aria-describedby={hintId}
        onChange={(event) => store.getState().settings.setDevice(kind, event.target.value || null)}
      >
        <option value="">{t('devices.systemDefault')}</option>
        {options.map((device, i) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || t(`devices.unnamed.${kind}`, { n: i + 1 })}
          </option>
        ))}
      </select>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {fallback && (
        <div className="notice notice--warning settings__fallback" role="alert">
          <p>
            {fallback.label
              ? t('devices.fallback', { label: fallback.label, kind: t(`devices.kind.${kind}`) })
              : t('devices.fallbackUnnamed', { kind: t(`devices.kind.${kind}`) })}
          </p>
          <button
            type="button"
            className="button button--small"
            onClick={() => store.getState().devices.dismissFallback(kind)}
          >
            {t('common:actions.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}

function MicrophoneTest({ media }: { media: MediaAccess | undefined }) {
  const { t } = useTranslation('settings');
  const store = usePhoneStore();
  const microphoneId = usePhone((s) => settingsSelectors.selectedDevice(s, 'microphone'));
  const [testing, setTesting] = useState(false);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = media?.openMicrophone;

  // While testing, hold a stream of the chosen microphone; reopen when the choice changes.
  useEffect(() => {
    if (!testing || !open) return;
    let cancelled = false;
    let current: MediaStream | null = null;
    open(microphoneId)
      .then((s) => {
        if (cancelled) {
          s.getTracks().forEach((track) => track.stop());
          return;
        }
        current = s;
        setStream(s);
        setError(null);
        // With permission granted, the browser now tells device names.
        void store.getState().devices.refresh();
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setError(reasonOf(e));
        setTesting(false);
      });
    return () => {
      cancelled = true;
      current?.getTracks().forEach((track) => track.stop());
      setStream(null);
    };
  }, [testing, open, microphoneId, store]);

  if (!open) return <p className="field__hint">{t('mic.unsupported')}</p>;
  return (
    <div className="settings__mic">
      <button
        type="button"
        className="button button--small"
        aria-pressed={testing}
        onClick={() => {
          setError(null);
          setTesting((on) => !on);
        }}
      >
        <MicIcon size={16} />
        {testing ? t('mic.stop') : t('mic.start')}
      </button>
      {testing && (
        <div className="settings__meter">
          <LevelMeter stream={stream} label={t('mic.level')} />
          <p className="field__hint">{t('mic.hint')}</p>
        </div>
      )}
      <div role="alert">{error && <FieldError>{t('mic.error', { reason: error })}</FieldError>}</div>
    </div>
  );
}

function TestSound({ play }: { play: NonNullable<SettingsProps['playTestSound']> }) {
  const { t } = useTranslation('settings');
  const speakerId = usePhone((s) => settingsSelectors.selectedDevice(s, 'speaker'));
  const volume = usePhone(settingsSelectors.ringtoneVolume);
  const [playing, setPlaying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="settings__sound">
      <button
        type="button"
        className="button button--small"
        disabled={playing}
        onClick={() => {
          setPlaying(true);
          setError(null);
          play(speakerId, Math.max(volume, 0.3))
            .catch((e: unknown) => setError(reasonOf(e)))
            .finally(() => setPlaying(false));
        }}
      >
        <SpeakerIcon size={16} />
        {playing ? t('sound.playing') : t('sound.play')}
      </button>
      <div role="alert">{error && <FieldError>{t('sound.error', { reason: error })}</FieldError>}</div>
    </div>
  );
}

function ShortcutsList({ commands }: { commands: readonly Command[] }) {
  const { t } = useTranslation('common');
  const withKeys = commands.filter((c) => c.shortcut);
  return (
    <section className="card settings__section" aria-labelledby="settings-shortcuts">
      <h3 id="settings-shortcuts" className="section-title">
        {t('shortcuts.title')}
      </h3>
      <p className="field__hint">{t('shortcuts.intro')}</p>
      <dl className="settings__shortcuts">
        {withKeys.map((command) => (
          <div key={command.id} className="settings__shortcut">
            <dt>{t(command.label)}</dt>
            <dd>
              {command.shortcut?.split('+').map((key, i) => (
                <span key={i}>
                  {i > 0 && '+'}
                  <kbd>{key}</kbd>
                </span>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function Settings({
  media,
  playTestSound = defaultPlayTestSound,
  commands = registeredCommands,
}: SettingsProps) {
  const { t } = useTranslation('settings');
  const store = usePhoneStore();
  const values = usePhone(settingsSelectors.values);
  const deviceStatus = usePhone(deviceSelectors.status);
  const unlabelled = usePhone(
    (s) =>
      s.devices.microphones.some((d) => d.label === '') ||
      s.devices.cameras.some((d) => d.label === '') ||
      s.devices.speakers.some((d) => d.label === ''),
  );
  const speakerSelectable = canSelectSpeaker();
  const update = (patch: Partial<SettingsValues>) => store.getState().settings.update(patch);
  const volumePercent = Math.round(values.ringtoneVolume * 100);

  return (
    <section className="settings" aria-labelledby="screen-title">
      <h2 id="screen-title" className="screen-title" tabIndex={-1}>
        {t('title')}
      </h2>

      <section className="card settings__section" aria-labelledby="settings-devices">
        <h3 id="settings-devices" className="section-title">
          {t('devices.legend')}
        </h3>
        {deviceStatus === 'unavailable' && <p className="notice">{t('devices.unavailable')}</p>}
        {unlabelled && <p className="field__hint settings__unlabelled">{t('devices.unlabelled')}</p>}
        {DEVICE_KINDS.map((kind) => (
          <div key={kind} className="settings__device">
            <DevicePicker
              kind={kind}
              disabled={kind === 'speaker' && !speakerSelectable}
              {...(kind === 'speaker' && !speakerSelectable ? { hint: t('devices.noSinkSelection') } : {})}
            />
            {kind === 'microphone' && <MicrophoneTest media={media} />}
            {kind === 'speaker' && <TestSound play={playTestSound} />}
          </div>
        ))}
      </section>

      <section className="card settings__section" aria-labelledby="settings-calls">
        <h3 id="settings-calls" className="section-title">
          {t('calls.legend')}
        </h3>
        <div className="field">
          <label htmlFor="settings-volume" className="field__label">
            {t('calls.ringtoneVolume')}
          </label>
          <div className="settings__volume">
            <input
              id="settings-volume"
              type="range"
              min={0}
              max={100}
              step={5}
              value={volumePercent}
              aria-valuetext={`${volumePercent} %`}
              onChange={(event) => update({ ringtoneVolume: Number(event.target.value) / 100 })}
            />
            <output htmlFor="settings-volume" aria-hidden="true">
              {volumePercent} %
            </output>
          </div>
        </div>
        <CheckField
          id="settings-auto-answer"
          label={t('calls.autoAnswer')}
          checked={values.autoAnswer}
          onChecked={(autoAnswer) => update({ autoAnswer })}
        />
        <CheckField
          id="settings-dnd"
          label={t('calls.doNotDisturb')}
          hint={t('calls.doNotDisturbHint')}
          checked={values.doNotDisturb}
          onChecked={(doNotDisturb) => update({ doNotDisturb })}
        />
      </section>

      <section className="card settings__section" aria-labelledby="settings-appearance">
        <h3 id="settings-appearance" className="section-title">
          {t('appearance.legend')}
        </h3>
        <fieldset className="settings__themes">
          <legend>{t('appearance.theme')}</legend>
          {THEMES.map((theme: Theme) => (
            <label key={theme} className="check">
              <input
                type="radio"
                name="settings-theme"
                value={theme}
                checked={values.theme === theme}
                onChange={() => update({ theme })}
              />
              {t(`appearance.${theme}`)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="settings-language" className="field__label">
            {t('appearance.language')}
          </label>
          <select
            id="settings-language"
            className="select"
            value={values.language}
            onChange={(event) => update({ language: event.target.value as Language })}
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language} lang={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </select>
        </div>
      </section>

      <ShortcutsList commands={commands} />
    </section>
  );
}
