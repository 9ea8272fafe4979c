/**
 * Translations with i18next: English and French, one namespace per screen (`common`, `account`,
 * `history`, `contacts`, `settings`, `calls`), written as TypeScript objects so a missing French key
 * is a compile error. The language follows the settings slice (see `App`).
 *
 * Each app (and each component test) makes its own instance with {@link createI18n} and hands it to
 * `<I18nextProvider>`; nothing is global, so two phones on one page keep their own language.
 */
import i18next, { type i18n as I18n } from 'i18next';
import type { Language } from '../../store/index';
import { account as enAccount } from './locales/en/account';
import { calls as enCalls } from './locales/en/calls';
import { common as enCommon } from './locales/en/common';
import { contacts as enContacts } from './locales/en/contacts';
import { history as enHistory } from './locales/en/history';
import { settings as enSettings } from './locales/en/settings';
import { account as frAccount } from './locales/fr/account';
import { calls as frCalls } from './locales/fr/calls';
import { common as frCommon } from './locales/fr/common';
import { contacts as frContacts } from './locales/fr/contacts';
import { history as frHistory } from './locales/fr/history';
import { settings as frSettings } from './locales/fr/settings';

export const resources = {
  en: {
    common: enCommon,
    account: enAccount,
    history: enHistory,
    contacts: enContacts,
    settings: enSettings,
    calls: enCalls,
  },
  fr: {
    common: frCommon,
    account: frAccount,
    history: frHistory,
    contacts: frContacts,
    settings: frSettings,
    calls: frCalls,
  },
} as const;

export const NAMESPACES = Object.keys(resources.en) as Array<keyof (typeof resources)['en']>;

/**
 * A ready-to-use i18next instance (initialised synchronously: the messages are bundled).
 * @param language the language to start in; later changes go through `changeLanguage()`.
 */
export function createI18n(language: Language = 'en'): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['en', 'fr'],
    resources,
    ns: NAMESPACES,
    defaultNS: 'common',
    initAsync: false,
    // React escapes text itself; escaping here would double-escape names with `&` or `<`.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
