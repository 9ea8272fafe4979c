/**
 * The call history: every call with its direction (icon and words), party, time, duration and
 * result; newest first. Viewing it clears the missed-call badge. "Call back" goes through the
 * store's `history.callback()`.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  contactSelectors,
  historySelectors,
  settingsSelectors,
  type DialResult,
  type HistoryEntry,
} from '../../../store/index';
import type { Screen } from '../../commands/index';
import { usePhone, usePhoneStore } from '../../phone-context';
import { IncomingIcon, MissedIcon, OutgoingIcon, PhoneIcon, PlusIcon, TrashIcon } from '../../theme/icons';
import { formatCallTime, formatDuration } from './format';
import './History.css';

export interface HistoryProps {
  onNavigate?(screen: Screen): void;
}

function HistoryItem({
  entry,
  language,
  onCallBack,
  onAddContact,
}: {
  entry: HistoryEntry;
  language: string;
  onCallBack(entry: HistoryEntry): void;
  onAddContact(entry: HistoryEntry, label: string): void;
}) {
  const { t } = useTranslation('history');
  const contact = usePhone((s) => contactSelectors.byNumber(s, entry.party.number));
  const name = contact?.name || entry.party.name;
  const label = name || entry.party.number || t('unknown');
  const missed = entry.result === 'missed';
  const icon = missed ? <MissedIcon /> : entry.direction === 'incoming' ? <IncomingIcon /> : <OutgoingIcon />;
  return (
    <li className="list-panel__row history__item" data-result={entry.result}>
      <span className="history__icon">{icon}</span>
      <div className="history__body">
        <p className="history__party">
          <span className="history__name">{label}</span>
          {name && entry.party.number && <span className="history__number">{entry.party.number}</span>}
        </p>
        <p className="history__meta">
          <span>{t(`direction.${entry.direction}`)}</span>
          <span aria-hidden="true"> · </span>
          <span className="history__result">{t(`result.${entry.result}`)}</span>
          {entry.video && (
            <>
              <span aria-hidden="true"> · </span>
              <span>{t('video')}</span>
            </>
          )}
          {entry.result === 'answered' && (
            <>
              <span aria-hidden="true"> · </span>
              <span>{t('duration', { duration: formatDuration(entry.durationMs) })}</span>
            </>
          )}
        </p>
        <p className="history__time">
          <time dateTime={new Date(entry.startedAt).toISOString()}>
            {formatCallTime(entry.startedAt, language)}
          </time>
        </p>
      </div>
      <div className="history__actions">
        {entry.party.number && (
          <button
            type="button"
            className="button button--small button--primary"
            aria-label={t('callBackLabel', { party: label })}
            onClick={() => onCallBack(entry)}
          >
            <PhoneIcon size={16} />
            <span className="history__action-text">{t('callBack')}</span>
          </button>
        )}
        {entry.party.number && !contact && (
          <button
            type="button"
            className="button button--small button--quiet"
            aria-label={t('addContactLabel', { party: label })}
            title={t('addContact')}
            onClick={() => onAddContact(entry, name)}
          >
            <PlusIcon size={16} />
          </button>
        )}
        <HistoryRemove entry={entry} label={label} />
      </div>
    </li>
  );
}

function HistoryRemove({ entry, label }: { entry: HistoryEntry; label: string }) {
  const { t } = useTranslation('history');
  const store = usePhoneStore();
  return (
    <button
      type="button"
      className="button button--small button--quiet"
      aria-label={t('removeLabel', { party: label })}
      title={t('remove')}
      onClick={() => store.getState().history.remove(entry.id)}
    >
      <TrashIcon size={16} />
    </button>
  );
}

export function History({ onNavigate }: HistoryProps) {
  const { t } = useTranslation('history');
  const { t: tc } = useTranslation('common');
  const store = usePhoneStore();
  const entries = usePhone(historySelectors.entries);
  const missedCount = usePhone(historySelectors.missedCount);
  const language = usePhone(settingsSelectors.language);
  const [dialError, setDialError] = useState<Exclude<DialResult, { ok: true }>['reason'] | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);

  // Looking at the history is seeing the missed calls: the badge clears, also for calls missed
  // while the screen is open.
  useEffect(() => {
    if (missedCount > 0) store.getState().history.markMissedSeen();
  }, [missedCount, store]);

  const callBack = (entry: HistoryEntry) => {
    const result = store.getState().history.callback(entry.id);
    if (result.ok) {
      setDialError(null);
      onNavigate?.('phone');
    } else setDialError(result.reason);
  };

  const addContact = (entry: HistoryEntry, name: string) => {
    store.getState().contacts.startAdd({ name, number: entry.party.number });
    onNavigate?.('contacts');
  };

  return (
    <section className="history" aria-labelledby="screen-title">
      <div className="history__header">
        <h2 id="screen-title" className="screen-title" tabIndex={-1}>
          {t('title')}
        </h2>
        {entries.length > 0 && !confirmClear && (
          <button type="button" className="button button--small" onClick={() => setConfirmClear(true)}>
            {t('clear')}
          </button>
        )}
      </div>
      {confirmClear && (
        <div className="notice notice--warning history__confirm" role="group" aria-label={t('clear')}>
          <p>{t('confirmClear')}</p>
          <div className="history__confirm-actions">
            <button
              type="button"
              className="button button--small button--danger"
              onClick={() => {
                store.getState().history.clear();
                setConfirmClear(false);
              }}
            >
              {t('confirmClearButton')}
            </button>
            <button
              type="button"
              className="button button--small"
              autoFocus
              onClick={() => setConfirmClear(false)}
            >
              {tc('actions.cancel')}
            </button>
          </div>
        </div>
      )}
      <div role="alert" className="history__alert">
        {dialError && <p className="notice notice--danger">{tc(`dial.${dialError}`)}</p>}
      </div>
      {entries.length === 0 ? (
        <p className="empty-state">{t('empty')}</p>
      ) : (
        <ol className="list-panel" aria-label={t('listLabel')}>
          {entries.map((entry) => (
            <HistoryItem
              key={entry.id}
              entry={entry}
              language={language}
              onCallBack={callBack}
              onAddContact={addContact}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
