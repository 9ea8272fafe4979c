/**
 * The call screens' live region (`role="status"`, polite): every call change is added as a line, so
 * two changes in a row (holding one call, answering the next) are both read. The last few lines are
 * kept; older ones leave silently.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePhoneStore } from '../../phone-context';
import { callAnnouncements } from './announce';
import { partyTitle } from './party';

const KEPT_LINES = 3;

export function CallAnnouncer() {
  const { t } = useTranslation('calls');
  const store = usePhoneStore();
  const tRef = useRef(t);
  useEffect(() => {
    tRef.current = t;
  });
  const next = useRef(0);
  const [lines, setLines] = useState<ReadonlyArray<{ id: number; text: string }>>([]);

  useEffect(
    () =>
      store.subscribe((state, prev) => {
        if (state.calls.byId === prev.calls.byId) return;
        const found = callAnnouncements(prev.calls.byId, state.calls.byId, state.calls.order);
        if (found.length === 0) return;
        const tr = tRef.current;
        const added = found.map(({ key, callId }) => {
          const call = state.calls.byId[callId];
          const party = call ? partyTitle(call.remote, tr) : tr('unknownParty');
          return { id: ++next.current, text: tr(`announce.${key}`, { party }) };
        });
        setLines((old) => [...old, ...added].slice(-KEPT_LINES));
      }),
    [store],
  );

  return (
    <div className="visually-hidden" role="status" aria-live="polite">
      {lines.map((line) => (
        <p key={line.id}>{line.text}</p>
      ))}
    </div>
  );
}
