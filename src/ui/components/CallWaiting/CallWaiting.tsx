/**
 * The phone's lines when more than one call is live (call waiting): each call with its state, and
 * what can be done with it: answer a waiting call (the store holds the established one first),
 * decline it, or switch to a call (resuming it and holding the one in front).
 */
import { useTranslation } from 'react-i18next';
import { callSelectors, type CallEntry } from '../../../store/index';
import { usePhone, usePhoneStore } from '../../phone-context';
import { partyTitle } from '../CallArea/party';
import './CallWaiting.css';

function Line({ call, active }: { readonly call: CallEntry; readonly active: boolean }) {
  const { t } = useTranslation('calls');
  const store = usePhoneStore();
  const party = partyTitle(call.remote, t);
  const ringing = call.direction === 'incoming' && call.state === 'ringing';
  const calls = () => store.getState().calls;
  return (
    <li
      className={`call-line${active ? ' call-line--active' : ''}`}
      aria-current={active ? 'true' : undefined}
    >
      <span className="call-line__party">{party}</span>
      <span className="call-line__state">
        {t(`state.${call.state}`)}
        {active && ` · ${t('lines.current')}`}
      </span>
      <span className="call-line__actions">
        {ringing ? (
          <>
            <button
              type="button"
              className="button button--small button--primary"
              aria-label={t('lines.answerLabel', { party })}
              onClick={() => void calls().answer(call.id, { video: false })}
            >
              {t('incoming.answer')}
            </button>
            <button
              type="button"
              className="button button--small button--danger"
              aria-label={t('lines.declineLabel', { party })}
              onClick={() => void calls().decline(call.id)}
            >
              {t('incoming.decline')}
            </button>
          </>
        ) : (
          !active && (
            <button
              type="button"
              className="button button--small"
              aria-label={t('lines.switchLabel', { party })}
              onClick={() => void calls().switchTo(call.id)}
            >
              {t('lines.switch')}
            </button>
          )
        )}
      </span>
    </li>
  );
}

export function CallWaiting() {
  const { t } = useTranslation('calls');
  const live = usePhone(callSelectors.liveCalls);
  const activeId = usePhone((s) => s.calls.activeCallId);
  if (live.length < 2) return null;
  return (
    <section className="call-waiting" aria-label={t('lines.label')}>
      <ul className="list-panel">
        {live.map((call) => (
          <Line key={call.id} call={call} active={call.id === activeId} />
        ))}
      </ul>
    </section>
  );
}
