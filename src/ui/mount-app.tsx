/**
 * Renders the whole softphone for a bootstrapped app: the one render tree of the standalone page
 * (src/main.tsx) and the iframe embed page (src/widget/embed-main.tsx).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import type { BootstrappedApp } from './app-bootstrap';
import { PhoneProvider } from './phone-context';

export function mountApp(root: HTMLElement, app: BootstrappedApp): void {
  createRoot(root).render(
    <StrictMode>
      <PhoneProvider store={app.store}>
        <App initialScreen={app.initialScreen} notice={app.notice} media={app.media} />
      </PhoneProvider>
    </StrictMode>,
  );
}
