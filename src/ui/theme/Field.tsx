/**
 * A labelled text input with its hint and its error message, wired for assistive technology:
 * `aria-invalid` when there is an error, `aria-describedby` naming the hint and the error. The error
 * is shown in words with an icon, never by colour alone.
 */
import type { InputHTMLAttributes, Ref } from 'react';
import { AlertIcon } from './icons';

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> {
  id: string;
  label: string;
  value: string;
  onValue(value: string): void;
  hint?: string | undefined;
  error?: string | null | undefined;
  inputRef?: Ref<HTMLInputElement>;
  /** Shown without the visible label (the label still names the input). */
  hideLabel?: boolean;
  className?: string;
}

export function Field({
  id,
  label,
  value,
  onValue,
  hint,
  error,
  inputRef,
  hideLabel = false,
  className,
  ...input
}: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'field__label'}>
        {label}
      </label>
      <input
        {...input}
        ref={inputRef}
        id={id}
        className="input"
        value={value}
        onChange={(event) => onValue(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </div>
  );
}

export function FieldError({ id, children }: { id?: string | undefined; children: string }) {
  return (
    <p id={id} className="field__error">
      <AlertIcon size={16} />
      <span>{children}</span>
    </p>
  );
}

export interface CheckFieldProps {
  id: string;
  label: string;
  checked: boolean;
  onChecked(checked: boolean): void;
  /** Said after the label by screen readers (`aria-describedby`), shown below it. */
  hint?: string | undefined;
}

/** A labelled checkbox with an optional hint: the checkbox counterpart of {@link Field}. */
export function CheckField({ id, label, checked, onChecked, hint }: CheckFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label className="check">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          aria-describedby={hintId}
          onChange={(event) => onChecked(event.target.checked)}
        />
        {label}
      </label>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
