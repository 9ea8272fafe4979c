/**
 * Standalone app entry (`npm start`, index.html): builds the phone store (see ui/app-bootstrap.ts)
 * and renders the softphone.
 */
import { bootstrapApp } from './ui/app-bootstrap';
import { mountApp } from './ui/mount-app';
import { startAppCallLinks } from './widget/app-call-links';

async function main(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  const app = await bootstrapApp({ search: window.location.search });
  mountApp(root, app);
  app.autoConnect();
  // `?call=` (validated) places a call once registered; offers the app as the sip:/tel: link handler.
  startAppCallLinks({ store: app.store, search: window.location.search, navigator });
}

void main();
