/**
 * The main navigation: one real button per screen, the current one marked `aria-current="page"`
 * (and by shape, not colour alone: a bar beside it), the missed-call badge on History as text.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { historySelectors } from '../../../store/index';
import { commandById, type Screen } from '../../commands/index';
import { usePhone } from '../../phone-context';
import { AccountIcon, ClockIcon, PeopleIcon, PhoneIcon, SlidersIcon } from '../../theme/icons';
import './Navigation.css';

const ITEMS: ReadonlyArray<{ screen: Screen; icon: ReactNode }> = [
  { screen: 'phone', icon: <PhoneIcon /> },
  { screen: 'history', icon: <ClockIcon /> },
  { screen: 'contacts', icon: <PeopleIcon /> },
  { screen: 'settings', icon: <SlidersIcon /> },
  { screen: 'account', icon: <AccountIcon /> },
];

export interface NavigationProps {
  current: Screen;
  onNavigate(screen: Screen): void;
}

export function Navigation({ current, onNavigate }: NavigationProps) {
  const { t } = useTranslation('common');
  const missed = usePhone(historySelectors.missedCount);
  return (
    <nav className="navigation" aria-label={t('nav.label')}>
      <ul className="navigation__list">
        {ITEMS.map(({ screen, icon }) => {
          const shortcut = commandById(`app.show.${screen}`)?.shortcut;
          return (
            <li key={screen}>
              <button
                type="button"
                className="navigation__item"
                aria-current={current === screen ? 'page' : undefined}
                aria-keyshortcuts={shortcut}
                title={shortcut ? `${t(`nav.${screen}`)} (${shortcut})` : undefined}
                onClick={() => onNavigate(screen)}
              >
                <span className="navigation__icon">{icon}</span>
                <span className="navigation__text">{t(`nav.${screen}`)}</span>
                {screen === 'history' && missed > 0 && (
                  <span className="navigation__badge">
                    <span aria-hidden="true">{missed}</span>
                    <span className="visually-hidden">{t('missedBadge', { count: missed })}</span>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
