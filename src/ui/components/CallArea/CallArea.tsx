/**
 * The phone's call area, rendered by the app shell on the phone screen: the dialpad when idle, the
 * incoming-call card while a call rings, the call in front with its controls, the lines when several
 * calls are live (call waiting), and around them the live region, the ringtone (with its "Enable
 * sound" step), notifications while the tab is hidden, do-not-disturb and call-ended notes and the
 * call shortcuts.
 *
 * Props are for tests and embedding: the app passes none.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { callSelectors, settingsSelectors, type CallEntry } from '../../../store/index';
import { Ringtone, type SoundStatus } from '../../audio/ringtone';
import { callCommands, frontCall, ringingCall } from '../../commands/call-commands';
import { useCommandShortcuts } from '../../commands/use-command-shortcuts';
import {
  browserNotifications,
  type NotificationAccess,
  type NotificationPort,
} from '../../notifications/call-notifications';
import { useCallNotification } from '../../notifications/use-call-notification';
import { usePhone, usePhoneStore } from '../../phone-context';
import { formatDuration } from '../CallTimer/CallTimer';
import { CallWaiting } from '../CallWaiting/CallWaiting';
import { Dialpad } from '../Dialpad/Dialpad';
import { InCall } from '../InCall/InCall';
import { IncomingCall } from '../IncomingCall/IncomingCall';
import { partySubtitle, partyTitle } from './party';
import './CallArea.css';

export interface CallAreaProps {
  /** Default: a Web Audio ringtone on a new AudioContext. */
  readonly ringtone?: Ringtone;
  /** Default: the browser's Notification API. */
  readonly notifications?: NotificationPort;
}

const ESTABLISHED = new Set<CallEntry['state']>(['connected', 'on-hold', 'held-by-remote']);

function useSoundStatus(ringtone: Ringtone): SoundStatus {
  return useSyncExternalStore(
    (listener) => ringtone.subscribe(listener),
    () => ringtone.status,
  );
}

/** Rings while a call rings here (the quiet call-waiting beep over a call in progress). */
function useRinging(ringtone: Ringtone, incoming: CallEntry | null, busy: boolean): void {
  const volume = usePhone(settingsSelectors.ringtoneVolume);
  useEffect(() => {
    ringtone.prepare();
    return () => ringtone.dispose();
  }, [ringtone]);
  useEffect(() => ringtone.setVolume(volume), [ringtone, volume]);
  const pattern = incoming ? (busy ? 'waiting' : 'ring') : null;
  useEffect(() => {
    if (pattern) ringtone.start(pattern);
    else ringtone.stop();
  }, [ringtone, pattern]);
}

/** While sound is blocked, the person's first click or key press anywhere unlocks it. */
function useUnlockOnGesture(ringtone: Ringtone, status: SoundStatus): void {
  useEffect(() => {
    if (status !== 'blocked') return;
    const unlock = (): void => void ringtone.unlock();
    document.addEventListener('pointerdown', unlock, true);
    document.addEventListener('keydown', unlock, true);
    return () => {
      document.removeEventListener('pointerdown', unlock, true);
      document.removeEventListener('keydown', unlock, true);
    };
  }, [ringtone, status]);
}

function EndedNotice({ call }: { readonly call: CallEntry }) {
  const { t, i18n } = useTranslation('calls');
  const store = usePhoneStore();
  const party = partyTitle(call.remote, t);
  let text: string;
  if (call.declinedBy === 'do-not-disturb') {
    const time = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' }).format(
      call.endedAt ?? call.startedAt,
    );
    text = t('dnd.declined', { party, time });
  } else {
    // Our own decline ends as 486 Busy Here; say what the person did.
    const cause = call.declinedBy === 'user' ? 'rejected' : call.end?.cause;
    text = cause
      ? t('ended.withReason', { party, reason: t(`ended.cause.${cause}`) })
      : t('ended.summary', { party });
    if (call.answeredAt !== null && call.endedAt !== null)
      text += ` (${formatDuration(call.endedAt - call.answeredAt)})`;
  }
  return (
    <li
      className={`notice${call.declinedBy === 'do-not-disturb' ? ' notice--warning' : ''} call-area__notice`}
    >
      <p>{text}</p>
      <button
        type="button"
        className="button button--small button--quiet"
        onClick={() => store.getState().calls.dismiss(call.id)}
      >
        {t('dismiss')}
      </button>
    </li>
  );
}

function ShortcutList() {
  const { t } = useTranslation('calls');
  return (
    <details className="call-area__shortcuts">
      <summary>{t('shortcuts.title')}</summary>
      <dl>
        {callCommands.map((command) => (
          <div key={command.id}>
            <dt>
              <kbd>{command.shortcut}</kbd>
            </dt>
            <dd>{t(command.label)}</dd>
          </div>
        ))}
        <div>
          <dt>
            <kbd>0–9 * #</kbd>
          </dt>
          <dd>{t('shortcuts.dtmf')}</dd>
        </div>
      </dl>
    </details>
  );
}

export function CallArea({ ringtone, notifications }: CallAreaProps = {}) {
  const { t } = useTranslation('calls');
  const [tone] = useState(() => ringtone ?? new Ringtone());
  const [notifier] = useState(() => notifications ?? browserNotifications());
  const [access, setAccess] = useState<NotificationAccess>(() => notifier.permission());
  const [bannerDismissed, setBannerDismissed] = useState(false);

  const active = usePhone(frontCall);
  const incoming = usePhone(ringingCall);
  const live = usePhone(callSelectors.liveCalls);
  const ended = usePhone(callSelectors.endedCalls);
  const busy = live.some((c) => ESTABLISHED.has(c.state));
  const sound = useSoundStatus(tone);

  useRinging(tone, incoming, busy);
  useUnlockOnGesture(tone, sound);
  useCommandShortcuts(callCommands, {});
  useCallNotification(
    notifier,
    incoming && {
      callId: incoming.id,
      title: incoming.video ? t('notifications.titleVideo') : t('notifications.title'),
      body: [partyTitle(incoming.remote, t), partySubtitle(incoming.remote)].filter(Boolean).join(' · '),
    },
  );

  const enableSound = (): void => void tone.unlock();

  return (
    <section className="call-area" aria-label={t('area')}>
      {sound === 'blocked' && !incoming && !bannerDismissed && (
        <div className="notice notice--warning call-area__banner">
          <p>{t('sound.blocked')}</p>
          <span className="call-area__banner-actions">
            <button type="button" className="button button--small" onClick={enableSound}>
              {t('sound.enable')}
            </button>
            <button
              type="button"
              className="button button--small button--quiet"
              onClick={() => setBannerDismissed(true)}
            >
              {t('dismiss')}
            </button>
          </span>
        </div>
      )}
      <div className="call-area__main">
        <CallWaiting />
        {incoming && (
          <IncomingCall call={incoming} waiting={active !== null} sound={sound} onEnableSound={enableSound} />
        )}
        {active ? <InCall call={active} /> : !incoming && <Dialpad />}
        {/* Below the dialpad, in the room reserved for the taller call screens: nothing moves. */}
        {ended.length > 0 && (
          <ul className="call-area__notices">
            {ended.map((call) => (
              <EndedNotice key={call.id} call={call} />
            ))}
          </ul>
        )}
      </div>
      <footer className="call-area__footer">
        {access === 'default' && (
          <p className="call-area__offer">
            <span>{t('notifications.offer')}</span>
            <button
              type="button"
              className="button button--small"
              onClick={() => void notifier.requestPermission().then(setAccess)}
            >
              {t('notifications.enable')}
            </button>
          </p>
        )}
        <ShortcutList />
      </footer>
    </section>
  );
}
