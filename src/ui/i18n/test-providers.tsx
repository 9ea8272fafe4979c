/**
 * Component tests render screens the way the app does: an i18n instance (in the language asked)
 * and the phone store in context.
 */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { Language, PhoneStore } from '../../store/index';
import { PhoneProvider } from '../phone-context';
import { createI18n } from './i18n';

export function renderScreen(ui: ReactElement, store: PhoneStore, language: Language = 'en'): RenderResult {
  const i18n = createI18n(language);
  return render(
    <I18nextProvider i18n={i18n}>
      <PhoneProvider store={store}>{ui}</PhoneProvider>
    </I18nextProvider>,
  );
}

/** The text an element's `aria-describedby` points at, as assistive technology reads it. */
export function descriptionOf(element: Element): string {
  const ids = (element.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids
    .map((id) => element.ownerDocument.getElementById(id)?.textContent?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
}
