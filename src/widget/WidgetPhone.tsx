/**
 * What `<ringlet-phone>` renders in its shadow root: the softphone (status, dialpad, incoming call,
 * the call in front, from the app's own components) or, in button mode, one click-to-call button
 * that turns into Answer/Decline or Hang up as calls come and go.
 *
 * The app shell (`App`) is not reused on purpose: it owns the page (`lang` and `data-theme` on
 * `<html>`, screen navigation), which an embedded widget must leave alone.
 */
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { registrationSelectors, type PhoneStore, type Theme } from '../store/index';
import { frontCall, ringingCall } from '../ui/commands/call-commands';
import { CallAnnouncer } from '../ui/components/CallArea/CallAnnouncer';
import { CallArea } from '../ui/components/CallArea/CallArea';
import { partyTitle } from '../ui/components/CallArea/party';
import { StatusBar } from '../ui/components/StatusBar/StatusBar';
import { RemoteAudio } from '../ui/components/VideoView/VideoView';
import { PhoneProvider, usePhone, usePhoneStore } from '../ui/phone-context';
import { answerCall, hangupCall, placeCall } from './phone-api';
import { THEME_WRAPPER_CLASS } from './shadow-css';
import type { WidgetMode } from './widget-config';

export interface WidgetPhoneProps {
  readonly store: PhoneStore;
  readonly i18n: I18n;
  readonly mode: WidgetMode;
  readonly theme: Theme;
  /** The click-to-call target (button mode). */
  readonly target: string | null;
}

const ignoreNavigation = (): void => undefined;

function PhoneMode() {
  const { t } = useTranslation('common');
  return (
    <div className="ringlet ringlet--phone" role="region" aria-label={t('appName')}>
      <div className="ringlet__header">
        <span className="ringlet__logo" aria-hidden="true">
          R
        </span>
        <StatusBar onNavigate={ignoreNavigation} />
      </div>
      <CallAnnouncer />
      <CallArea />
    </div>
  );
}

function ButtonMode({ target }: { readonly target: string }) {
  const { t } = useTranslation('calls');
  const store = usePhoneStore();
  const registered = usePhone(registrationSelectors.isRegistered);
  const front = usePhone(frontCall);
  const ringing = usePhone(ringingCall);

  if (ringing && !front) {
    const party = partyTitle(ringing.remote, t);
    return (
      <div className="ringlet ringlet--button" role="group" aria-label={t('incoming.title')}>
        <span className="ringlet__status">{`${t('incoming.title')}: ${party}`}</span>
        <button type="button" className="button button--primary" onClick={() => void answerCall(store)}>
          {t('incoming.answer')}
        </button>
        <button type="button" className="button button--danger" onClick={() => void hangupCall(store)}>
          {t('incoming.decline')}
        </button>
      </div>
    );
  }
  if (front) {
    return (
      <div className="ringlet ringlet--button" role="group" aria-label={t('inCall.label', { party: target })}>
        <button type="button" className="button button--danger" onClick={() => void hangupCall(store)}>
          {t('inCall.hangup')}
        </button>
        <span className="ringlet__status" role="status">
          {t(`state.${front.state}`)}
        </span>
        <RemoteAudio callId={front.id} />
      </div>
    );
  }
  return (
    <div className="ringlet ringlet--button">
      <button
        type="button"
        className="button button--primary"
        disabled={!registered}
        onClick={() => placeCall(store, target)}
      >
        {/* The page may name the button: <ringlet-phone mode="button">Call sales</ringlet-phone>. */}
        <slot>{`${t('dialpad.call')} ${target.replace(/^sips?:/, '')}`}</slot>
      </button>
    </div>
  );
}

export function WidgetPhone({ store, i18n, mode, theme, target }: WidgetPhoneProps) {
  return (
    <PhoneProvider store={store}>
      <I18nextProvider i18n={i18n}>
        <div className={THEME_WRAPPER_CLASS} data-theme={theme} lang={i18n.language}>
          {mode === 'button' && target !== null ? <ButtonMode target={target} /> : <PhoneMode />}
        </div>
      </I18nextProvider>
    </PhoneProvider>
  );
}
