/**
 * Renders call screens the way the app does (i18n + phone store providers) for component tests.
 */
import { act, render, type RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { PhoneStore } from '../../../store/index';
import { createI18n } from '../../i18n/i18n';
import { calls as enCalls } from '../../i18n/locales/en/calls';
import { calls as frCalls } from '../../i18n/locales/fr/calls';
import { PhoneProvider } from '../../phone-context';

export function renderWithPhone(
  ui: ReactElement,
  store: PhoneStore,
  language: 'en' | 'fr' = 'en',
): RenderResult {
  const i18n = createI18n(language);
  // Until the shell's resources list `calls`, add it here; harmless once it does.
  if (!i18n.hasResourceBundle('en', 'calls')) i18n.addResourceBundle('en', 'calls', enCalls);
  if (!i18n.hasResourceBundle('fr', 'calls')) i18n.addResourceBundle('fr', 'calls', frCalls);
  const Providers = ({ children }: { children: ReactNode }) => (
    <I18nextProvider i18n={i18n}>
      <PhoneProvider store={store}>{children}</PhoneProvider>
    </I18nextProvider>
  );
  // As a wrapper, so `rerender()` keeps the providers.
  return render(ui, { wrapper: Providers });
}

/** Runs what the other side (or the test) does to the store, letting React render the outcome. */
export function play<T>(action: () => T): T {
  let out: T | undefined;
  act(() => {
    out = action();
  });
  return out as T;
}

/** As {@link play}, for actions that return a promise (store commands). */
export async function playAsync(action: () => Promise<unknown>): Promise<void> {
  await act(async () => {
    await action();
  });
}
