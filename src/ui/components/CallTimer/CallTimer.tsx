/**
 * The running duration of a call, ticking once a second from the moment it was answered. The tick
 * uses the page clock (`Date.now`), the same clock the store stamps `answeredAt` with.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './CallTimer.css';

/** `m:ss`, or `h:mm:ss` from an hour on. Pure. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

export interface CallTimerProps {
  /** When the call was answered (ms since the epoch). */
  readonly since: number;
  /** When the call ended: the timer stops there. */
  readonly until?: number | null;
}

export function CallTimer({ since, until = null }: CallTimerProps) {
  const { t } = useTranslation('calls');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until !== null) return;
    setNow(Date.now());
    const handle = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(handle);
  }, [until]);
  const elapsed = (until ?? now) - since;
  const seconds = Math.max(0, Math.floor(elapsed / 1000));
  return (
    // role=timer is not announced on every tick (its implicit aria-live is off).
    <time className="call-timer" role="timer" aria-label={t('inCall.duration')} dateTime={`PT${seconds}S`}>
      {formatDuration(elapsed)}
    </time>
  );
}
