/**
 * The status bar: registration state in words and by icon shape, the failure reason in plain
 * words, the reconnecting indicator, do-not-disturb, and the one action that helps now (connect,
 * try again, set up an account). Registration changes are announced through a polite live region.
 */
import { useTranslation } from 'react-i18next';
import { accountSelectors, registrationSelectors, settingsSelectors } from '../../../store/index';
import type { Screen } from '../../commands/index';
import { usePhone, usePhoneStore } from '../../phone-context';
import { AlertIcon, CheckIcon, MoonIcon, OfflineIcon, RefreshIcon } from '../../theme/icons';
import { failureDetail, failureSummary } from './failure-text';
import './StatusBar.css';

export interface StatusBarProps {
  onNavigate(screen: Screen): void;
}

export function StatusBar({ onNavigate }: StatusBarProps) {
  const { t } = useTranslation('common');
  const store = usePhoneStore();
  const status = usePhone(registrationSelectors.status);
  const failure = usePhone(registrationSelectors.failure);
  const saved = usePhone(accountSelectors.saved);
  const server = usePhone((s) => s.registration.server);
  const doNotDisturb = usePhone(settingsSelectors.doNotDisturb);

  const uri = saved?.uri ?? '';
  const summary = failure && (status === 'failed' || status === 'reconnecting') ? failure : null;
  const word = saved ? t(`status.${status}`) : t('status.notConfigured');

  const announcement = !saved
    ? ''
    : status === 'registered'
      ? t('announce.registered', { uri })
      : status === 'failed' && failure
        ? t('announce.failed', { reason: failureSummary(t, failure) })
        : t(`announce.${status}`);

  const icon =
    status === 'registered' ? (
      <CheckIcon />
    ) : status === 'failed' ? (
      <AlertIcon />
    ) : status === 'offline' ? (
      <OfflineIcon />
    ) : (
      <RefreshIcon />
    );

  return (
    <section className="status-bar" data-status={saved ? status : 'none'} aria-label={t('status.label')}>
      <div className="status-bar__main">
        <span className="status-bar__icon">{icon}</span>
        <div className="status-bar__text">
          <p className="status-bar__state" title={saved ? `${word} ${t('status.as', { uri })}` : word}>
            <strong>{word}</strong>
            {saved && <span className="status-bar__uri"> {t('status.as', { uri })}</span>}
          </p>
          {status === 'reconnecting' && (
            <p className="status-bar__detail">{t('status.reconnectingDetail')}</p>
          )}
          {summary && (
            <p className="status-bar__detail status-bar__detail--failure">
              {failureSummary(t, summary)}{' '}
              {failureDetail(t, summary) && (
                <span className="status-bar__reason">{failureDetail(t, summary)}</span>
              )}
            </p>
          )}
          {status === 'registered' && server && (
            <p className="status-bar__detail status-bar__server">{t('status.server', { server })}</p>
          )}
        </div>
      </div>
      <div className="status-bar__side">
        {doNotDisturb && (
          <span className="status-bar__dnd">
            <MoonIcon size={16} />
            {t('status.doNotDisturb')}
          </span>
        )}
        {!saved ? (
          <button type="button" className="button button--small" onClick={() => onNavigate('account')}>
            {t('actions.setUpAccount')}
          </button>
        ) : status === 'offline' ? (
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() => void store.getState().account.connect()}
          >
            {t('actions.connect')}
          </button>
        ) : status === 'failed' ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => void store.getState().registration.retry()}
          >
            {t('actions.retry')}
          </button>
        ) : null}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </section>
  );
}
