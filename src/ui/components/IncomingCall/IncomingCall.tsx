/**
 * The incoming-call card: who is calling (name and number as text: they come from the network),
 * Answer, Answer with video (for a video offer), Decline. As call waiting (another call is
 * established), Answer holds that call first. When the browser keeps sound off, the card says the
 * ring is silent and offers "Enable sound": a missed ring is never a silent failure.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallEntry } from '../../../store/index';
import { answerCommand, answerVideoCommand, declineCommand, runCommand } from '../../commands/call-commands';
import type { SoundStatus } from '../../audio/ringtone';
import { usePhoneStore } from '../../phone-context';
import { CallIcon, HangupIcon, VideoIcon } from '../CallArea/call-icons';
import { partySubtitle, partyTitle } from '../CallArea/party';
import { ShortcutHint } from '../CallArea/ShortcutHint';
import './IncomingCall.css';

export interface IncomingCallProps {
  readonly call: CallEntry;
  /** Another call is established: answering holds it. */
  readonly waiting: boolean;
  readonly sound: SoundStatus;
  readonly onEnableSound: () => void;
}

export function IncomingCall({ call, waiting, sound, onEnableSound }: IncomingCallProps) {
  const { t } = useTranslation('calls');
  const store = usePhoneStore();
  const titleId = useId();
  const subtitle = partySubtitle(call.remote);
  const heading = waiting
    ? t('incoming.waiting')
    : call.video
      ? t('incoming.titleVideo')
      : t('incoming.title');

  return (
    <section
      className={`incoming-call card${waiting ? ' incoming-call--waiting' : ''}`}
      aria-labelledby={titleId}
    >
      <h2 id={titleId} className="incoming-call__title">
        {heading}
      </h2>
      <p className="incoming-call__name">{partyTitle(call.remote, t)}</p>
      {subtitle && <p className="incoming-call__number">{subtitle}</p>}
      {sound === 'blocked' && (
        <div className="notice notice--warning incoming-call__sound">
          <p>{t('sound.blockedRinging')}</p>
          <button type="button" className="button button--small" onClick={onEnableSound}>
            {t('sound.enable')}
          </button>
        </div>
      )}
      {sound === 'unavailable' && <p className="incoming-call__note">{t('sound.unavailable')}</p>}
      <div className="incoming-call__actions">
        <button
          type="button"
          className="button button--primary incoming-call__answer"
          aria-keyshortcuts={answerCommand.shortcut}
          onClick={() => void runCommand(answerCommand, store)}
        >
          <CallIcon />
          {waiting ? t('incoming.answerHolding') : t('incoming.answer')}
          <ShortcutHint command={answerCommand} />
        </button>
        {call.video && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => void runCommand(answerVideoCommand, store)}
          >
            <VideoIcon />
            {t('incoming.answerVideo')}
          </button>
        )}
        <button
          type="button"
          className="button button--danger"
          onClick={() => void runCommand(declineCommand, store)}
        >
          <HangupIcon />
          {t('incoming.decline')}
        </button>
      </div>
    </section>
  );
}
