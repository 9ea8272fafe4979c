/**
 * The app shell: skip link, header (name + status bar), navigation between the screens, and the
 * main area. The call area stays mounted on every screen (hidden when another screen shows) so the
 * ringtone and call announcements never stop because the person is looking at their contacts; a
 * new call brings the phone screen to the front.
 *
 * Language and theme follow the settings slice: `data-theme` on the app root, `lang` on it and on
 * the document.
 */
// The theme and shared controls first, so each component's own CSS can refine them.
import './theme/theme.css';
import './theme/controls.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { callSelectors, settingsSelectors } from '../store/index';
import type { MediaAccess, StartupNotice } from './app-bootstrap';
import { appCommands } from './commands/app-commands';
import type { Screen } from './commands/index';
import { useCommandShortcuts } from './commands/use-command-shortcuts';
import { AccountSetup } from './components/AccountSetup/AccountSetup';
import { CallAnnouncer } from './components/CallArea/CallAnnouncer';
import { CallArea, type CallAreaProps } from './components/CallArea/CallArea';
import { Contacts } from './components/Contacts/Contacts';
import { History } from './components/History/History';
import { Navigation } from './components/Navigation/Navigation';
import { Settings, type SettingsProps } from './components/Settings/Settings';
import { StatusBar } from './components/StatusBar/StatusBar';
import { createI18n } from './i18n/i18n';
import { usePhone, usePhoneStore } from './phone-context';
import './App.css';

export interface AppProps {
  /** The screen shown first; default the phone. */
  initialScreen?: Screen;
  /** A note from start-up (an ignored `?user=`, a dev profile). */
  notice?: StartupNotice | null;
  /** Browser services for the settings screen. */
  media?: MediaAccess;
  /** For tests and embedding: passed to the call area and the settings screen. */
  callArea?: CallAreaProps;
  playTestSound?: SettingsProps['playTestSound'];
  /** Default: a new instance in the settings' language. */
  i18n?: I18n;
}

function StartupNote({ notice }: { notice: StartupNotice }) {
  const { t } = useTranslation('common');
  const [open, setOpen] = useState(true);
  if (!open) return null;
  const warning = notice.kind === 'invalid-user';
  return (
    <div className={`notice${warning ? ' notice--warning' : ''} app__note`}>
      <p>
        {notice.kind === 'invalid-user'
          ? t('notice.invalidUser', { value: notice.value })
          : t('notice.devProfile', { user: notice.user })}
      </p>
      <button type="button" className="button button--small button--quiet" onClick={() => setOpen(false)}>
        {t('actions.dismiss')}
      </button>
    </div>
  );
}

function Shell({ initialScreen = 'phone', notice, media, callArea, playTestSound }: AppProps) {
  const { t, i18n } = useTranslation('common');
  const theme = usePhone(settingsSelectors.theme);
  const language = usePhone(settingsSelectors.language);
  const storage = usePhone((s) => s.persistence.status);
  const liveCount = usePhone((s) => callSelectors.liveCalls(s).length);
  const [screen, setScreen] = useState<Screen>(initialScreen);
  const focusHeading = useRef(false);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [i18n, language]);

  // The page around the app (overscroll, scrollbars) follows the theme too.
  useEffect(() => {
    document.documentElement.setAttribute('data-theme', theme);
  }, [theme]);

  // A new call (dialled or ringing) brings the phone screen to the front.
  const previousLive = useRef(liveCount);
  useEffect(() => {
    if (liveCount > previousLive.current) setScreen('phone');
    previousLive.current = liveCount;
  }, [liveCount]);

  /** Moves to a screen; from the navigation, focus follows to the new screen's heading. */
  const navigate = useCallback((next: Screen, moveFocus = false) => {
    focusHeading.current = moveFocus;
    setScreen(next);
  }, []);

  useEffect(() => {
    if (!focusHeading.current) return;
    focusHeading.current = false;
    mainRef.current?.querySelector<HTMLElement>('#screen-title')?.focus();
  }, [screen]);

  useCommandShortcuts(appCommands, { navigate: (next) => navigate(next, true) });

  const toScreen = (next: Screen) => navigate(next);

  return (
    <div className="app" data-theme={theme} lang={language}>
      <a className="app__skip" href="#main">
        {t('skipToContent')}
      </a>
      <header className="app__header">
        <h1 className="app__brand">
          <span className="app__logo" aria-hidden="true">
            R
          </span>
          <span className="app__name">{t('appName')}</span>
        </h1>
        <StatusBar onNavigate={(next) => navigate(next, true)} />
      </header>
      <div className="app__body">
        <div className="app__nav">
          <Navigation current={screen} onNavigate={(next) => navigate(next, true)} />
        </div>
        <main id="main" ref={mainRef} className="app__main" tabIndex={-1}>
          {/* Outside the phone screen's container: a live region under a `hidden` ancestor is never
              read, and call changes must be announced whatever screen is showing. */}
          <CallAnnouncer />
          {notice && <StartupNote notice={notice} />}
          {storage === 'unavailable' && (
            <p className="notice notice--warning">{t('notice.storageUnavailable')}</p>
          )}
          <div className="app__phone" hidden={screen !== 'phone'}>
            <h2
              id={screen === 'phone' ? 'screen-title' : undefined}
              className="visually-hidden"
              tabIndex={-1}
            >
              {t('nav.phone')}
            </h2>
            <CallArea {...callArea} />
          </div>
          {screen === 'history' && <History onNavigate={toScreen} />}
          {screen === 'contacts' && <Contacts onNavigate={toScreen} />}
          {screen === 'settings' && (
            <Settings {...(media ? { media } : {})} {...(playTestSound ? { playTestSound } : {})} />
          )}
          {screen === 'account' && <AccountSetup />}
        </main>
      </div>
    </div>
  );
}

/** The whole softphone; render inside `<PhoneProvider store={…}>`. */
export function App(props: AppProps) {
  const store = usePhoneStore();
  const [i18n] = useState(() => props.i18n ?? createI18n(store.getState().settings.values.language));
  return (
    <I18nextProvider i18n={i18n}>
      <Shell {...props} />
    </I18nextProvider>
  );
}
