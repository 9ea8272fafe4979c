/**
 * The call in front: the other party, what the call is doing (calling, ringing, early media,
 * connected, on hold, held by the other side), its duration, and the controls: Mute, Hold/Resume,
 * the DTMF keypad (and the digits the other side sent), the camera for video calls, devices (microphone, speaker or headset, camera,
 * switched mid-call by the store: replaceTrack / setSinkId happen below it) and Hang up.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { callSelectors, type CallEntry } from '../../../store/index';
import { hangupCommand, holdCommand, muteCommand, runCommand } from '../../commands/call-commands';
import { usePhone, usePhoneStore } from '../../phone-context';
import { HangupIcon, KeypadIcon, MicIcon, PauseIcon, VideoIcon } from '../CallArea/call-icons';
import { partySubtitle, partyTitle } from '../CallArea/party';
import { ShortcutHint } from '../CallArea/ShortcutHint';
import { CallTimer } from '../CallTimer/CallTimer';
import { DtmfKeypad } from '../DtmfKeypad/DtmfKeypad';
import { LevelMeter } from '../LevelMeter/LevelMeter';
import { RemoteAudio, VideoView, useCallStream } from '../VideoView/VideoView';
import { DeviceChoices, DeviceFallbackNotices } from './DeviceChoices';
import './InCall.css';

const ESTABLISHED: ReadonlySet<CallEntry['state']> = new Set(['connected', 'on-hold', 'held-by-remote']);

export function InCall({ call }: { readonly call: CallEntry }) {
  const { t } = useTranslation('calls');
  const store = usePhoneStore();
  const titleId = useId();
  const keypadId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [keypadOpen, setKeypadOpen] = useState(false);
  const cameraOff = !usePhone((state) => callSelectors.cameraOn(state, call.id));
  const established = ESTABLISHED.has(call.state);
  const party = partyTitle(call.remote, t);
  const subtitle = partySubtitle(call.remote);
  const localStream = useCallStream(call.id, 'local');

  // The control that started the call (Call, Answer) is gone: keep focus in the call, not on <body>.
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) {
      headingRef.current?.focus();
    }
  }, [call.id]);

  // Camera on/off goes through the store (the camera itself is released, no re-INVITE); a refusal
  // (audio-only call, call gone) leaves the state as the store reports it.
  const toggleCamera = (): void => {
    store
      .getState()
      .calls.setCamera(call.id, cameraOff)
      .catch(() => undefined);
  };

  return (
    <section className="in-call card" aria-labelledby={titleId}>
      <header className="in-call__header">
        <h2 id={titleId} ref={headingRef} tabIndex={-1} className="in-call__party">
          {party}
        </h2>
        {subtitle && <p className="in-call__number">{subtitle}</p>}
        <p className="in-call__state">
          <span className={`call-state call-state--${call.state}`}>{t(`state.${call.state}`)}</span>
          {call.muted && <span className="in-call__badge">{t('inCall.muted')}</span>}
        </p>
        {call.receivedDtmf && (
          // Not a live region: the digits are there to read back (a code, a menu choice), and one
          // announcement per tone would talk over the call.
          <p className="in-call__received" role="note" aria-label={t('inCall.receivedLabel')}>
            {t('inCall.received', { digits: call.receivedDtmf })}
          </p>
        )}
        <p className="in-call__duration">
          {established && call.answeredAt !== null ? (
            <CallTimer since={call.answeredAt} until={call.endedAt} />
          ) : (
            // The line keeps its height before the answer: no jump when the timer appears.
            <span aria-hidden="true">&nbsp;</span>
          )}
        </p>
      </header>

      {call.video ? (
        <div className="in-call__videos">
          <VideoView callId={call.id} side="remote" label={t('inCall.remoteVideo', { party })} />
          <VideoView callId={call.id} side="local" label={t('inCall.localVideo')} hidden={cameraOff} />
        </div>
      ) : (
        <RemoteAudio callId={call.id} />
      )}

      <div className="in-call__controls" role="group" aria-label={t('inCall.label', { party })}>
        <button
          type="button"
          className="button in-call__control"
          aria-pressed={call.muted}
          aria-keyshortcuts={muteCommand.shortcut}
          onClick={() => void runCommand(muteCommand, store)}
        >
          <MicIcon />
          {t('inCall.mute')}
          <ShortcutHint command={muteCommand} />
        </button>
        <button
          type="button"
          className="button in-call__control"
          aria-pressed={call.onHold}
          aria-keyshortcuts={holdCommand.shortcut}
          disabled={!established}
          onClick={() => void runCommand(holdCommand, store)}
        >
          <PauseIcon />
          {t('inCall.hold')}
          <ShortcutHint command={holdCommand} />
        </button>
        <button
          type="button"
          className="button in-call__control"
          aria-expanded={keypadOpen}
          aria-controls={keypadOpen ? keypadId : undefined}
          disabled={!established}
          onClick={() => setKeypadOpen((open) => !open)}
        >
          <KeypadIcon />
          {t('inCall.keypad')}
        </button>
        {call.video && (
          <button
            type="button"
            className="button in-call__control"
            aria-pressed={cameraOff}
            onClick={toggleCamera}
          >
            <VideoIcon />
            {t('inCall.camera')}
          </button>
        )}
        <button
          type="button"
          className="button button--danger in-call__control in-call__hangup"
          aria-keyshortcuts={hangupCommand.shortcut}
          onClick={() => void runCommand(hangupCommand, store)}
        >
          <HangupIcon />
          {t('inCall.hangup')}
          <ShortcutHint command={hangupCommand} />
        </button>
      </div>

      <div className="in-call__level">
        <span aria-hidden="true">{t('inCall.level')}</span>
        <LevelMeter stream={call.muted ? null : localStream} label={t('inCall.level')} />
      </div>

      {keypadOpen && established && <DtmfKeypad id={keypadId} />}

      <DeviceFallbackNotices />
      <DeviceChoices video={call.video} />
    </section>
  );
}
