/**
 * The dialpad: a number or SIP address field (typing and sanitised paste), the 0–9 * # keys
 * (hold 0 for +), backspace, Call, Video call and Redial. The draft lives in the store
 * (`calls.dialDraft`), so nothing typed is lost when the person looks at another screen.
 */
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { callSelectors, settingsSelectors, type DialResult } from '../../../store/index';
import { usePhone, usePhoneStore } from '../../phone-context';
import { BackspaceIcon, CallIcon, RedialIcon, VideoIcon } from '../CallArea/call-icons';
import { DTMF_KEYS } from '../DtmfKeypad/DtmfKeypad';
import { DIALPAD_CHARACTER, sanitiseDialInput } from './sanitise-dial-input';
import './Dialpad.css';

/** How long 0 must be held to type + (the common phone convention). */
export const LONG_PRESS_MS = 600;

type DialFailure = Extract<DialResult, { ok: false }>['reason'];

export function Dialpad() {
  const { t } = useTranslation('calls');
  const store = usePhoneStore();
  const draft = usePhone(callSelectors.dialDraft);
  const lastDialled = usePhone(settingsSelectors.lastDialled);
  const [failure, setFailure] = useState<DialFailure | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const errorId = useId();
  const hintId = useId();
  const longPress = useRef<{ timer: ReturnType<typeof setTimeout> | null; fired: boolean }>({
    timer: null,
    fired: false,
  });

  useEffect(() => () => clearLongPress(), []);
  // After a paste, the caret goes after the pasted text (React resets it when the value changes).
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    pendingCaret.current = null;
    if (caret !== null) inputRef.current?.setSelectionRange(caret, caret);
  }, [draft]);

  const setDraft = (value: string): void => {
    setFailure(null);
    store.getState().calls.setDialDraft(value);
  };
  const current = (): string => store.getState().calls.dialDraft;
  const append = (text: string): void => setDraft(current() + text);
  const backspace = (): void => setDraft(current().slice(0, -1));

  const dial = (video: boolean): void => {
    const result = store.getState().calls.dial(undefined, { video });
    setFailure(result.ok ? null : result.reason);
  };
  const redial = (): void => {
    const result = store.getState().calls.redial();
    setFailure(result.ok ? null : result.reason);
  };

  function clearLongPress(): void {
    if (longPress.current.timer !== null) clearTimeout(longPress.current.timer);
    longPress.current.timer = null;
  }
  const startLongPress = (): void => {
    clearLongPress();
    longPress.current.fired = false;
    longPress.current.timer = setTimeout(() => {
      longPress.current.timer = null;
      longPress.current.fired = true;
      append('+');
    }, LONG_PRESS_MS);
  };
  const pressKey = (digit: string): void => {
    // The click that ends a long press on 0 must not also type 0.
    if (digit === '0' && longPress.current.fired) {
      longPress.current.fired = false;
      return;
    }
    append(digit);
  };

  const onPaste = (event: ClipboardEvent<HTMLInputElement>): void => {
    event.preventDefault();
    const text = sanitiseDialInput(event.clipboardData.getData('text'));
    const input = event.currentTarget;
    const value = current();
    const start = input.selectionStart ?? value.length;
    const end = input.selectionEnd ?? value.length;
    setDraft(value.slice(0, start) + text + value.slice(end));
    pendingCaret.current = start + text.length;
  };

  const onInputKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter' && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      dial(false);
    }
  };

  /** Typing while a key has focus: the keys, +, Backspace. */
  const onKeysKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (DIALPAD_CHARACTER.test(event.key)) {
      event.preventDefault();
      append(event.key);
    } else if (event.key === 'Backspace') {
      event.preventDefault();
      backspace();
    }
  };

  return (
    <section className="dialpad" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`} className="visually-hidden">
        {t('dialpad.label')}
      </h2>
      <div className="dialpad__entry">
        <label htmlFor={inputId} className="visually-hidden">
          {t('dialpad.input')}
        </label>
        <input
          ref={inputRef}
          id={inputId}
          className="dialpad__input"
          type="text"
          inputMode="tel"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          placeholder={t('dialpad.input')}
          value={draft}
          maxLength={256}
          aria-invalid={failure === 'invalid-target' ? true : undefined}
          aria-describedby={[hintId, failure ? errorId : ''].filter(Boolean).join(' ')}
          onChange={(event) => setDraft(event.target.value)}
          onPaste={onPaste}
          onKeyDown={onInputKeyDown}
        />
        <button
          type="button"
          className="button button--quiet dialpad__backspace"
          aria-label={t('dialpad.backspace')}
          title={t('dialpad.backspace')}
          disabled={draft === ''}
          onClick={backspace}
        >
          <BackspaceIcon />
        </button>
      </div>
      <p id={hintId} className="dialpad__hint">
        {t('dialpad.zeroHint')}
      </p>
      {failure && (
        <p id={errorId} className="dialpad__error" role="alert">
          {t(`dialpad.error.${failure}`)}
        </p>
      )}
      <div className="keypad-grid" role="group" aria-label={t('dialpad.keys')} onKeyDown={onKeysKeyDown}>
        {DTMF_KEYS.map(([digit, letters]) => (
          <button
            key={digit}
            type="button"
            className="keypad-key"
            aria-label={digit === '0' ? t('dialpad.zero') : digit}
            onClick={() => pressKey(digit)}
            {...(digit === '0'
              ? {
                  onPointerDown: startLongPress,
                  onPointerUp: clearLongPress,
                  onPointerLeave: clearLongPress,
                  onPointerCancel: clearLongPress,
                  // A long touch would otherwise open the context menu.
                  onContextMenu: (event: { preventDefault(): void }) => event.preventDefault(),
                }
              : {})}
          >
            <span className="keypad-key__digit" aria-hidden="true">
              {digit}
            </span>
            <span className="keypad-key__letters" aria-hidden="true">
              {digit === '0' ? '+' : letters}
            </span>
          </button>
        ))}
      </div>
      <div className="dialpad__actions">
        <button type="button" className="button button--primary dialpad__call" onClick={() => dial(false)}>
          <CallIcon />
          {t('dialpad.call')}
        </button>
        <button type="button" className="button dialpad__video" onClick={() => dial(true)}>
          <VideoIcon />
          {t('dialpad.videoCall')}
        </button>
        <button
          type="button"
          className="button dialpad__redial"
          disabled={lastDialled === null}
          aria-label={lastDialled ? t('dialpad.redialLabel', { number: lastDialled }) : t('dialpad.redial')}
          title={lastDialled ?? undefined}
          onClick={redial}
        >
          <RedialIcon />
          {t('dialpad.redial')}
        </button>
      </div>
    </section>
  );
}
