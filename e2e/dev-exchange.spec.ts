/**
 * Issue 6, "Prove it": `npm start`'s built-in dev exchange with the real app in real Chromium.
 *
 * The exchange runs in-process exactly where `npm start` (scripts/start.mjs) puts it,
 * ws://127.0.0.1:5062 with domain ringlet.local, because the app's dev profile (`?user=`,
 * src/ui/app-bootstrap.ts) hard-codes that address. Each phone is the app itself, `/?user=alice`
 * and `/?user=bob`, in its own browser context, driven only through what a person sees: roles,
 * labels and text.
 *
 * "Audio flows" is read from each page's own RTCPeerConnections (inbound-rtp packetsReceived,
 * see dev-exchange-helpers.ts), sampled about 1.5 s apart: a counter that grows means RTP arrives
 * now, not that it once did.
 */
import { expect, test, type Browser } from '@playwright/test';
import { startDevExchange, type DevExchange } from '../dev-exchange/dev-exchange';
import { openApp, type AppPage } from './dev-exchange-helpers';
import { warmUpApp } from './ui-helpers';

/** Where the app's dev profile looks for the exchange (DEV_EXCHANGE_SERVER / DEV_EXCHANGE_DOMAIN). */
const DEV_EXCHANGE_HOST = '127.0.0.1';
const DEV_EXCHANGE_PORT = 5062;
const DEV_EXCHANGE_DOMAIN = 'ringlet.local';

let exchange: DevExchange | undefined;
const exchangeLog: string[] = [];
let opened: AppPage[] = [];

function baseURL(): string {
  const url = test.info().project.use.baseURL;
  if (!url) throw new Error('playwright.config.ts sets no baseURL');
  return url;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  const starting = startDevExchange({
    host: DEV_EXCHANGE_HOST,
    port: DEV_EXCHANGE_PORT,
    domain: DEV_EXCHANGE_DOMAIN,
    log: (line) => exchangeLog.push(line),
  }).then(
    // Kept as soon as it listens, so afterAll stops it even when the warm-up below fails.
    (started) => {
      exchange = started;
    },
    (error: unknown) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'EADDRINUSE') {
        throw new Error(
          `Port ${DEV_EXCHANGE_PORT} on ${DEV_EXCHANGE_HOST} is busy (is \`npm start\` or another dev ` +
            `exchange running?). The app's dev profile hard-codes ws://${DEV_EXCHANGE_HOST}:${DEV_EXCHANGE_PORT}, ` +
            'so this test needs that port: stop whatever holds it and run again.',
        );
      }
      throw error;
    },
  );
  // Vite's first compile and the exchange start together; both must be ready before any test.
  await Promise.all([starting, warmUpApp(browser, baseURL(), 60_000)]);
});

test.afterAll(async () => {
  await exchange?.stop();
});

test.beforeEach(() => {
  opened = [];
  exchangeLog.length = 0;
});

// Playwright requires an object pattern here, even when the hook needs no fixture.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    await testInfo.attach('dev-exchange-log', { body: exchangeLog.join('\n'), contentType: 'text/plain' });
    for (const app of opened) {
      await testInfo.attach(`${app.user}-console-errors`, {
        body: app.consoleErrors.join('\n'),
        contentType: 'text/plain',
      });
    }
  }
  const errors = opened.flatMap((app) => app.pageErrors);
  await Promise.all(opened.map((app) => app.context.close()));
  // Nothing the app does may escape as an uncaught exception or rejection, or reload the page.
  expect(errors).toEqual([]);
});

/** Opens the app as `user` and waits until the status bar says it registered by itself. */
async function openRegistered(browser: Browser, user: string, extraQuery = ''): Promise<AppPage> {
  const app = await openApp(browser, baseURL(), user, extraQuery);
  opened.push(app);
  await expect(app.statusBar).toContainText('Registered', { timeout: 15_000 });
  await expect(app.statusBar).toContainText(`sip:${user}@${DEV_EXCHANGE_DOMAIN}`);
  return app;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Inbound audio arrives on every page, and keeps arriving (Opus: ~50 packets a second). */
async function expectAudioFlowing(apps: AppPage[]): Promise<void> {
  for (const app of apps) {
    await expect
      .poll(() => app.inboundAudioPackets(), { message: `${app.user} receives audio`, timeout: 10_000 })
      .toBeGreaterThan(0);
  }
  const before = await Promise.all(apps.map((app) => app.inboundAudioPackets()));
  await sleep(1_500);
  const after = await Promise.all(apps.map((app) => app.inboundAudioPackets()));
  apps.forEach((app, i) => {
    const growth = (after[i] ?? 0) - (before[i] ?? 0);
    test
      .info()
      .annotations.push({ type: `${app.user}: inbound audio packets in 1.5 s`, description: `${growth}` });
    expect(growth, `${app.user}: inbound audio packets in 1.5 s`).toBeGreaterThan(25);
  });
}

test.describe('npm start: two tabs call each other through the built-in dev exchange', () => {
  test('alice calls bob by user name: bob answers, both connect, audio flows both ways, alice hangs up', async ({
    browser,
  }) => {
    test.setTimeout(60_000);
    const alice = await openRegistered(browser, 'alice');
    const bob = await openRegistered(browser, 'bob');

    await alice.dial('bob');

    await expect(bob.incomingCall).toBeVisible({ timeout: 10_000 });
    await expect(bob.incomingCall).toContainText('alice');
    await bob.answerButton.click();

    await expect(bob.callArea.getByText('Connected', { exact: true })).toBeVisible({ timeout: 10_000 });
    await expect(alice.callArea.getByText('Connected', { exact: true })).toBeVisible({ timeout: 10_000 });
    await expect(bob.incomingCall).toBeHidden();
    // Each side made its own peer connection; the media is theirs, the exchange only relays SIP.
    expect(await alice.peerConnectionCount()).toBeGreaterThan(0);
    expect(await bob.peerConnectionCount()).toBeGreaterThan(0);
    await expectAudioFlowing([alice, bob]);

    await alice.hangupButton.click();

    // Both return to the dialpad with a note that the call ended because someone hung up.
    await expect(alice.endedNotices).toContainText(/ended: hung up/, { timeout: 10_000 });
    await expect(bob.endedNotices).toContainText(/ended: hung up/, { timeout: 10_000 });
    await expect(alice.dialInput).toBeVisible();
    await expect(bob.dialInput).toBeVisible();
    // The BYE really crossed the exchange.
    expect(exchangeLog.some((line) => /\bBYE sip:/.test(line))).toBe(true);
  });

  test('a user nobody ever registered: the caller is told the number was not found', async ({ browser }) => {
    const alice = await openRegistered(browser, 'alice');

    await alice.dial('nobody');

    await expect(alice.endedNotices).toContainText(/not found|does not exist/i, { timeout: 10_000 });
    await expect(alice.endedNotices).toContainText('nobody');
    await expect(alice.dialInput).toBeVisible();
    // And that is the exchange's 404 (RFC 3261 §21.4.5), not some other failure.
    expect(exchangeLog.some((line) => /\b404 Not Found \(INVITE\b/.test(line))).toBe(true);
  });

  test('sip: and tel: links: Chromium accepts the app as their handler, and the handler URL places the call', async ({
    browser,
  }) => {
    test.setTimeout(60_000);
    const bob = await openRegistered(browser, 'bob');
    // What the browser opens when a person clicks a sip: link once the app is the handler: the
    // handler URL with %s replaced by the escaped link.
    const link = `sip:bob@${DEV_EXCHANGE_DOMAIN}`;
    const alice = await openRegistered(browser, 'alice', `&call=${encodeURIComponent(link)}`);

    // The app asked Chromium's real registerProtocolHandler for both schemes, and Chromium's own
    // validation (safelisted scheme, same-origin URL with %s, secure context) threw for neither.
    expect(await alice.protocolHandlerCalls()).toEqual([
      { scheme: 'sip', url: '/?call=%s', error: null },
      { scheme: 'tel', url: '/?call=%s', error: null },
    ]);

    await expect(bob.incomingCall).toBeVisible({ timeout: 10_000 });
    await expect(bob.incomingCall).toContainText('alice');
    await alice.hangupButton.click();
    await expect(bob.incomingCall).toBeHidden({ timeout: 10_000 });
    await expect(alice.dialInput).toBeVisible();
  });
});
