/**
 * Device choices during a call: microphone, speaker or headset, camera. Choosing goes through
 * `settings.setDevice`, which switches the live calls without hanging up (the engine does
 * replaceTrack / setSinkId). When the chosen device is unplugged the devices slice falls back to the
 * default and the notice below says so.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { deviceSelectors, settingsSelectors, type DeviceKind } from '../../../store/index';
import { usePhone, usePhoneStore } from '../../phone-context';

const LABEL_KEY: Readonly<
  Record<DeviceKind, 'inCall.microphone' | 'inCall.speaker' | 'inCall.cameraDevice'>
> = {
  microphone: 'inCall.microphone',
  speaker: 'inCall.speaker',
  camera: 'inCall.cameraDevice',
};

function DeviceSelect({ kind }: { readonly kind: DeviceKind }) {
  const { t } = useTranslation('calls');
  const store = usePhoneStore();
  const id = useId();
  const devices = usePhone((s) => deviceSelectors.list(s, kind));
  const selected = usePhone((s) => settingsSelectors.selectedDevice(s, kind));
  return (
    <div className="field in-call__device">
      <label htmlFor={id} className="field__label">
        {t(LABEL_KEY[kind])}
      </label>
      <select
        id={id}
        className="select"
        value={selected ?? ''}
        onChange={(event) => store.getState().settings.setDevice(kind, event.target.value || null)}
      >
        <option value="">{t('inCall.defaultDevice')}</option>
        {devices
          .filter((d) => d.deviceId !== '')
          .map((d, index) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || t('inCall.unnamedDevice', { n: index + 1 })}
            </option>
          ))}
      </select>
    </div>
  );
}

export function DeviceChoices({ video }: { readonly video: boolean }) {
  const { t } = useTranslation('calls');
  const speakers = usePhone((s) => deviceSelectors.list(s, 'speaker'));
  return (
    <details className="in-call__devices">
      <summary>{t('inCall.devices')}</summary>
      <DeviceSelect kind="microphone" />
      {/* Browsers that cannot choose the audio output list no speakers. */}
      {speakers.length > 0 && <DeviceSelect kind="speaker" />}
      {video && <DeviceSelect kind="camera" />}
    </details>
  );
}

/** "Your headset was unplugged: using the default" for each kind that fell back. */
export function DeviceFallbackNotices() {
  const { t } = useTranslation('calls');
  const store = usePhoneStore();
  const microphone = usePhone((s) => deviceSelectors.fallback(s, 'microphone'));
  const speaker = usePhone((s) => deviceSelectors.fallback(s, 'speaker'));
  const camera = usePhone((s) => deviceSelectors.fallback(s, 'camera'));
  const notices = (
    [
      ['microphone', microphone],
      ['speaker', speaker],
      ['camera', camera],
    ] as const
  ).filter(([, fallback]) => fallback !== null);
  if (notices.length === 0) return null;
  return (
    <div className="in-call__fallbacks" role="status">
      {notices.map(([kind, fallback]) => (
        <div key={kind} className="notice notice--warning">
          <p>{t(`inCall.fallback.${kind}`, { label: fallback?.label ? `“${fallback.label}”` : '' })}</p>
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={() => store.getState().devices.dismissFallback(kind)}
          >
            {t('dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
