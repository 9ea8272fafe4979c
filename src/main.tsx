/**
 * Standalone app entry (`npm start`, index.html): builds the phone store (see ui/app-bootstrap.ts)
 * and renders the softphone.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { bootstrapApp } from './ui/app-bootstrap';
import { PhoneProvider } from './ui/phone-context';
import { startAppCallLinks } from './widget/app-call-links';

async function main(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  const app = await bootstrapApp({ search: window.location.search });
  createRoot(root).render(
    <StrictMode>
      <PhoneProvider store={app.store}>
        <App initialScreen={app.initialScreen} notice={app.notice} media={app.media} />
      </PhoneProvider>
    </StrictMode>,
  );
  app.autoConnect();
  // `?call=` (validated) places a call once registered; offers the app as the sip:/tel: link handler.
  startAppCallLinks({ store: app.store, search: window.location.search, navigator });
}

void main();
