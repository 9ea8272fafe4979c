/**
 * The in-call keypad: sends DTMF (RFC 4733 telephone-events, or SIP INFO, chosen below the store) to
 * the call in front, for voicemail menus and IVRs. Digits can be clicked or typed while the keypad
 * has focus; the digits sent so far are shown.
 */
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dtmfCommand, runCommand } from '../../commands/call-commands';
import { usePhoneStore } from '../../phone-context';
import './DtmfKeypad.css';

export const DTMF_KEYS: ReadonlyArray<readonly [digit: string, letters: string]> = [
  ['1', ''],
  ['2', 'ABC'],
  ['3', 'DEF'],
  ['4', 'GHI'],
  ['5', 'JKL'],
  ['6', 'MNO'],
  ['7', 'PQRS'],
  ['8', 'TUV'],
  ['9', 'WXYZ'],
  ['*', ''],
  ['0', ''],
  ['#', ''],
];

/** Long digit strings are trimmed on screen; the call got them all. */
const SHOWN_DIGITS = 24;

export function DtmfKeypad({ id }: { readonly id?: string }) {
  const { t } = useTranslation('calls');
  const store = usePhoneStore();
  const [sent, setSent] = useState('');

  const send = (digit: string): void => {
    const command = dtmfCommand(digit);
    if (!command.enabled(store.getState())) return;
    void runCommand(command, store);
    setSent((s) => (s + digit).slice(-SHOWN_DIGITS));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (/^[0-9*#]$/.test(event.key)) {
      event.preventDefault();
      send(event.key);
    }
  };

  return (
    <div className="dtmf-keypad" id={id} role="group" aria-label={t('dtmf.label')} onKeyDown={onKeyDown}>
      <p className="dtmf-keypad__sent" aria-live="polite">
        {sent ? t('dtmf.sent', { digits: sent }) : t('dtmf.hint')}
      </p>
      <div className="keypad-grid">
        {DTMF_KEYS.map(([digit, letters]) => (
          <button
            key={digit}
            type="button"
            className="keypad-key"
            aria-label={t('dtmf.key', { digit })}
            onClick={() => send(digit)}
          >
            <span className="keypad-key__digit" aria-hidden="true">
              {digit}
            </span>
            <span className="keypad-key__letters" aria-hidden="true">
              {letters}
            </span>
          </button>
        ))}
      </div>
    </div>
  );
}
