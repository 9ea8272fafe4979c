/**
 * The iframe embed page (embed.html): the whole app, plus the postMessage API of iframe-bridge.ts
 * for the embedding page. Which pages may command it is in the iframe's own URL:
 *
 * ```html
 * <iframe src="https://phone.example/embed.html?allow=https://shop.example" allow="microphone; camera; autoplay"></iframe>
 * ```
 *
 * `?user=` (dev profiles) and `?call=` work as in the standalone app.
 */
import { bootstrapApp } from '../ui/app-bootstrap';
import { mountApp } from '../ui/mount-app';
import { startAppCallLinks } from './app-call-links';
import { parseAllowList } from './bridge-messages';
import { startIframeBridge } from './iframe-bridge';

async function main(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('embed.html has no #root element');
  const search = window.location.search;
  const log = (line: string): void => console.warn(line);
  const allow = parseAllowList(search);
  if (allow.rejected.length > 0) log(`ringlet embed: ?allow= entries ignored: ${allow.rejected.join(', ')}`);
  if (allow.origins.length === 0) log('ringlet embed: no ?allow= origin: the postMessage API is off');

  const app = await bootstrapApp({ search });
  mountApp(root, app);
  startIframeBridge({
    store: app.store,
    allow,
    source: window,
    parent: window.parent !== window ? window.parent : null,
    log,
  });
  app.autoConnect();
  startAppCallLinks({ store: app.store, search, log });
}

void main();
