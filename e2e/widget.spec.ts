/**
 * Issue 6, "Prove it" for the widget: a host page served from another loopback port than the app
 * (examples/index.html through examples/serve.mjs, with the library build of `npm run
 * build:widget`) embeds Ringlet by script tag and by iframe. Calls placed through the element's
 * `call()` and through postMessage reach B, the plain app registered as bob, through the real
 * Kamailio of test/kamailio, and connect with audio flowing; a command from an origin not on the
 * iframe's allowlist does nothing; the host page's CSS does not reach inside the widget (nor the
 * widget's CSS the page).
 *
 * "Audio flows" is read from getStats on each side: an init script records every
 * RTCPeerConnection a page (or frame) creates, without touching the app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Frame, type Page } from '@playwright/test';
import { findFreePorts, startKamailio, type KamailioServer } from '../test/kamailio/kamailio-server';

let pbx: KamailioServer | undefined;
let widgetDir = '';
let hostServer: ChildProcess | undefined;
let senderServer: Server | undefined;
let hostOrigin = '';
let senderOrigin = '';
let contexts: BrowserContext[] = [];
/** Uncaught exceptions and rejections of any page or frame the test opened. */
let pageErrors: string[] = [];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr}`)),
    );
  });
}

/** The example host page's static server (examples/serve.mjs) on `port`, serving the build. */
function startHostServer(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['examples/serve.mjs'], {
      env: { ...process.env, PORT: String(port), RINGLET_WIDGET_DIR: widgetDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`examples/serve.mjs exited ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('examples: http://')) resolve(child);
    });
  });
}

/**
 * A page on a third origin that posts a call command to every frame of the page embedding it:
 * what a hostile or careless other site could send.
 */
function startSenderServer(port: number): Promise<Server> {
  const html = `<!doctype html><script>
    const target = new URLSearchParams(location.search).get('target');
    for (let i = 0; i < parent.frames.length; i++) {
      parent.frames[i].postMessage({ type: 'ringlet:call', target, requestId: 'evil' }, '*');
    }
    document.title = 'sent';
  </script>`;
  return new Promise((resolve) => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    });
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  widgetDir = mkdtempSync(join(tmpdir(), 'ringlet-widget-'));
  const build = run(process.execPath, [
    'node_modules/vite/bin/vite.js',
    'build',
    '--config',
    'vite.widget.config.ts',
    '--outDir',
    widgetDir,
    '--emptyOutDir',
    '--logLevel',
    'warn',
  ]);
  [pbx] = await Promise.all([startKamailio(), build]);
  const [hostPort = 0, senderPort = 0] = await findFreePorts(2);
  hostServer = await startHostServer(hostPort);
  senderServer = await startSenderServer(senderPort);
  hostOrigin = `http://127.0.0.1:${hostPort}`;
  senderOrigin = `http://127.0.0.1:${senderPort}`;
});

test.afterAll(async () => {
  hostServer?.kill();
  await new Promise<void>((resolve) => (senderServer ? senderServer.close(() => resolve()) : resolve()));
  await pbx?.stop();
  if (widgetDir) rmSync(widgetDir, { recursive: true, force: true });
});

test.beforeEach(() => {
  contexts = [];
  pageErrors = [];
});

// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    await testInfo.attach('kamailio-log', { body: pbx?.readLog() ?? '', contentType: 'text/plain' });
  }
  await Promise.all(contexts.map((context) => context.close()));
  // Nothing the widget, the bridge or the junk posted to it does may escape as an uncaught error.
  expect(pageErrors).toEqual([]);
});

function server(): KamailioServer {
  if (!pbx) throw new Error('Kamailio did not start (see beforeAll)');
  return pbx;
}

function appURL(): string {
  const baseURL = test.info().project.use.baseURL;
  if (!baseURL) throw new Error('playwright.config.ts sets no baseURL');
  return baseURL;
}

/** A fresh browser context whose pages (and frames) keep their RTCPeerConnections for getStats. */
async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  contexts.push(context);
  context.on('weberror', (error) => pageErrors.push(String(error.error())));
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    if (!Native) return;
    const made: RTCPeerConnection[] = [];
    (window as unknown as { __ringletPcs: RTCPeerConnection[] }).__ringletPcs = made;
    window.RTCPeerConnection = new Proxy(Native, {
      construct(target, args: ConstructorParameters<typeof RTCPeerConnection>) {
        const pc = Reflect.construct(target, args) as RTCPeerConnection;
        made.push(pc);
        return pc;
      },
    });
  });
  return context;
}

/** Inbound audio packets over every peer connection of the page or frame. */
function audioPacketsReceived(where: Page | Frame): Promise<number> {
  return where.evaluate(async () => {
    const pcs = (window as unknown as { __ringletPcs?: RTCPeerConnection[] }).__ringletPcs ?? [];
    let total = 0;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((report: { type?: string; kind?: string; packetsReceived?: number }) => {
        if (report.type === 'inbound-rtp' && report.kind === 'audio') total += report.packetsReceived ?? 0;
      });
    }
    return total;
  });
}

/** Audio arrives and keeps arriving (Opus: ~50 packets a second). */
async function expectAudioFlowing(where: Page | Frame, label: string): Promise<void> {
  await expect
    .poll(() => audioPacketsReceived(where), { message: `${label} receives audio`, timeout: 10_000 })
    .toBeGreaterThan(0);
  const before = await audioPacketsReceived(where);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const growth = (await audioPacketsReceived(where)) - before;
  expect(growth, `${label}: inbound audio packets in 1.5 s`).toBeGreaterThan(25);
}

/** B: the plain app (index.html) on the app's origin, registered as `user` through its account form. */
async function openAppPhone(browser: Browser, user: string): Promise<Page> {
  const page = await (await newContext(browser)).newPage();
  await page.goto(`${appURL()}/`);
  await page.locator('#account-server-0').fill(server().wsUrls[1] ?? '');
  await page.getByLabel('SIP address', { exact: true }).fill(`sip:${user}@${server().domain}`);
  await page.getByLabel('Password', { exact: true }).fill(server().users[user] ?? '');
  await page.getByRole('button', { name: 'Save and connect' }).click();
  await expect(page.locator('.status-bar[data-status="registered"]')).toBeVisible({ timeout: 10_000 });
  return page;
}

interface HostPage {
  page: Page;
  console: string[];
  embed(): Frame;
}

/** The example host page on its own origin, pointed at Kamailio and the app under test. */
async function openHostPage(browser: Browser): Promise<HostPage> {
  const page = await (await newContext(browser)).newPage();
  const lines: string[] = [];
  page.on('console', (message) => lines.push(message.text()));
  const query = new URLSearchParams({
    app: appURL(),
    server: server().wsUrls[0] ?? '',
    domain: server().domain,
  });
  await page.goto(`${hostOrigin}/index.html?${query}`);
  await page.evaluate(() => customElements.whenDefined('ringlet-phone'));
  // Everything the elements dispatch, in order.
  await page.evaluate(() => {
    const seen: Array<{ id: string; type: string; detail: unknown }> = [];
    (window as unknown as { __events: typeof seen }).__events = seen;
    for (const name of ['registered', 'incoming', 'call-started', 'call-ended']) {
      document.addEventListener(`ringlet-${name}`, (event) =>
        seen.push({
          id: (event.target as HTMLElement).id,
          type: event.type,
          detail: (event as CustomEvent).detail,
        }),
      );
    }
  });
  const embed = (): Frame => {
    const frame = page.frames().find((f) => f.url().includes('/embed.html'));
    if (!frame) throw new Error('the host page has no embed.html frame');
    return frame;
  };
  return { page, console: lines, embed };
}

type RecordedEvent = { id: string; type: string; detail: Record<string, unknown> };

function events(host: HostPage): Promise<RecordedEvent[]> {
  return host.page.evaluate(() => (window as unknown as { __events: RecordedEvent[] }).__events);
}

type PhoneMessage = {
  type: string;
  event?: string;
  command?: string;
  ok?: boolean;
  requestId?: string | null;
  reason?: string;
  detail?: Record<string, unknown>;
};

function phoneMessages(host: HostPage): Promise<PhoneMessage[]> {
  return host.page.evaluate(() => (window as unknown as { phoneMessages: PhoneMessage[] }).phoneMessages);
}

/** B answers the call ringing there and shows it connected. */
async function answerOnB(b: Page): Promise<void> {
  await expect(b.locator('.incoming-call__answer')).toBeVisible({ timeout: 10_000 });
  await b.locator('.incoming-call__answer').click();
  await expect(b.locator('.call-state--connected')).toHaveText('Connected', { timeout: 10_000 });
}

test.describe('the widget on a host page of another origin, calling through Kamailio', () => {
  test('script tag: call() on the element connects to B with audio both ways; events come out', async ({
    browser,
  }) => {
    test.setTimeout(60_000);
    const b = await openAppPhone(browser, 'bob');
    const host = await openHostPage(browser);
    expect(new URL(host.page.url()).origin).not.toBe(new URL(appURL()).origin);

    // The password only through the JS property; attributes carry the rest.
    await host.page.evaluate((password) => {
      (document.getElementById('element-phone') as HTMLElement & { config: unknown }).config = { password };
    }, server().users['alice']);
    await expect
      .poll(
        () =>
          host.page.evaluate(
            () => (document.getElementById('element-phone') as HTMLElement & { status: string }).status,
          ),
        {
          timeout: 10_000,
        },
      )
      .toBe('registered');
    expect(
      (await events(host)).some((e) => e.id === 'element-phone' && e.type === 'ringlet-registered'),
    ).toBe(true);

    const result = await host.page.evaluate(
      (target) =>
        (document.getElementById('element-phone') as HTMLElement & { call(t: string): unknown }).call(target),
      `sip:bob@${server().domain}`,
    );
    expect(result).toMatchObject({ ok: true });
    await answerOnB(b);
    await expect
      .poll(async () => (await events(host)).filter((e) => e.type === 'ringlet-call-started').length)
      .toBe(1);
    await expectAudioFlowing(b, 'B (app)');
    await expectAudioFlowing(host.page, 'A (widget)');
    // The widget shows the call in its shadow root.
    await expect(host.page.locator('#element-phone .call-state--connected')).toHaveText('Connected');

    await host.page.evaluate(() =>
      (document.getElementById('element-phone') as HTMLElement & { hangup(): Promise<boolean> }).hangup(),
    );
    await expect
      .poll(async () => (await events(host)).find((e) => e.type === 'ringlet-call-ended')?.detail)
      .toMatchObject({
        cause: 'bye',
        originator: 'local',
        answered: true,
        direction: 'outgoing',
      });
    await expect(b.locator('.call-state--connected')).toBeHidden({ timeout: 10_000 });
  });

  test('iframe: a call through postMessage connects; malformed messages and other origins change nothing', async ({
    browser,
  }) => {
    test.setTimeout(75_000);
    const b = await openAppPhone(browser, 'bob');
    const host = await openHostPage(browser);
    await expect
      .poll(() => phoneMessages(host).then((m) => m.some((x) => x.type === 'ringlet:ready')), {
        timeout: 15_000,
      })
      .toBe(true);

    // Junk first: wrong shapes, unknown types, a huge payload. None may break the phone.
    await host.page.evaluate(() => {
      const post = (window as unknown as { postToPhone(m: unknown): void }).postToPhone;
      post('call sip:bob');
      post(null);
      post([1, 2, 3]);
      post({ type: 'ringlet:call' });
      post({ type: 'ringlet:call', target: 42 });
      post({ type: 'ringlet:call', target: 'x'.repeat(5_000_000) });
      post({ type: 'ringlet:call', target: 'sip:bob@x', extra: true });
      post({ type: 'ringlet:explode' });
      post({ type: 'ringlet:configure', config: 'not an object' });
    });

    await host.page.evaluate(
      ({ server: ws, uri, password }) =>
        (window as unknown as { postToPhone(m: unknown): void }).postToPhone({
          type: 'ringlet:configure',
          config: { server: ws, uri, password },
          requestId: 'configure',
        }),
      { server: server().wsUrls[0], uri: `sip:carol@${server().domain}`, password: server().users['carol'] },
    );
    await expect
      .poll(
        () =>
          phoneMessages(host).then((m) =>
            m.some((x) => x.type === 'ringlet:event' && x.event === 'registered'),
          ),
        {
          timeout: 15_000,
        },
      )
      .toBe(true);
    const results = (await phoneMessages(host)).filter((m) => m.type === 'ringlet:result');
    expect(results).toEqual([
      { type: 'ringlet:result', requestId: 'configure', command: 'ringlet:configure', ok: true },
    ]);
    expect(
      host.console.filter((line) => line.startsWith('ringlet embed: ignored')).length,
    ).toBeGreaterThanOrEqual(9);

    // Another origin, not on the allowlist, tells the phone to call B: nothing happens.
    await host.page.evaluate(
      (src) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        document.body.append(frame);
      },
      `${senderOrigin}/sender.html?target=${encodeURIComponent(`sip:bob@${server().domain}`)}`,
    );
    await expect
      .poll(() =>
        host.console.some((line) =>
          line.includes(`ignored a message from ${senderOrigin}: origin not allowed`),
        ),
      )
      .toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await expect(b.locator('.incoming-call__answer')).toBeHidden();
    expect((await phoneMessages(host)).some((m) => m.requestId === 'evil')).toBe(false);

    // The host page's own form posts the call.
    await host.page.locator('#bridge-call').click();
    await answerOnB(b);
    await expect
      .poll(() => phoneMessages(host).then((m) => m.some((x) => x.event === 'call-started')))
      .toBe(true);
    await expectAudioFlowing(b, 'B (app)');
    await expectAudioFlowing(host.embed(), 'A (iframe)');
    await expect(host.embed().locator('.call-state--connected')).toHaveText('Connected');

    await host.page.locator('#bridge-hangup').click();
    await expect
      .poll(() => phoneMessages(host).then((m) => m.find((x) => x.event === 'call-ended')?.detail))
      .toMatchObject({ cause: 'bye', originator: 'local', answered: true });
  });

  test('click-to-call button: calls its target; B declines and the cause comes out', async ({ browser }) => {
    test.setTimeout(45_000);
    const b = await openAppPhone(browser, 'bob');
    const host = await openHostPage(browser);
    await host.page.evaluate((password) => {
      (document.getElementById('button-phone') as HTMLElement & { config: unknown }).config = { password };
    }, server().users['dave']);
    const button = host.page.locator('#button-phone button');
    await expect(button).toBeEnabled({ timeout: 10_000 });
    await expect(button).toHaveText(`Call bob@${server().domain}`);
    await button.click();
    await expect(b.locator('.incoming-call__answer')).toBeVisible({ timeout: 10_000 });
    await b.getByRole('button', { name: 'Decline' }).click();
    await expect
      .poll(
        async () =>
          (await events(host)).find((e) => e.id === 'button-phone' && e.type === 'ringlet-call-ended')
            ?.detail,
      )
      .toMatchObject({ cause: 'busy', status: 486, answered: false });
  });

  test("the host page's CSS does not reach the widget's buttons, nor the widget's CSS the page", async ({
    browser,
  }) => {
    const host = await openHostPage(browser);
    const page = host.page;
    await expect(page.locator('#element-phone button').first()).toBeVisible({ timeout: 10_000 });

    // The page's rule is live: its own buttons are red, 40px.
    const pageButton = await page.locator('#bridge-call').evaluate((el) => {
      const style = getComputedStyle(el);
      return { color: style.color, fontSize: style.fontSize };
    });
    expect(pageButton).toEqual({ color: 'rgb(255, 0, 0)', fontSize: '40px' });

    for (const id of ['element-phone', 'button-phone']) {
      const styles = await page.evaluate((hostId) => {
        const root = document.getElementById(hostId)?.shadowRoot;
        return [...(root?.querySelectorAll('button') ?? [])].map((el) => {
          const style = getComputedStyle(el);
          return { color: style.color, fontSize: style.fontSize, fontFamily: style.fontFamily };
        });
      }, id);
      expect(styles.length, `${id} renders buttons`).toBeGreaterThan(0);
      for (const style of styles) {
        expect(style.color).not.toBe('rgb(255, 0, 0)');
        expect(style.fontSize).not.toBe('40px');
        expect(style.fontFamily).not.toContain('Georgia');
      }
    }

    // Theming through custom properties: #themed sets --ringlet-accent for the button phone.
    const accent = await page.evaluate(() => {
      const button = document.getElementById('button-phone')?.shadowRoot?.querySelector('.button--primary');
      return button ? getComputedStyle(button).backgroundColor : null;
    });
    expect(accent).toBe('rgb(123, 44, 191)');

    // And nothing of the widget reaches the page: no stylesheet added, the page's type unchanged.
    const pageState = await page.evaluate(() => ({
      sheets: document.styleSheets.length,
      bodyFont: getComputedStyle(document.body).fontFamily,
      bodyMargin: getComputedStyle(document.body).marginTop,
      htmlTheme: document.documentElement.getAttribute('data-theme'),
    }));
    expect(pageState).toEqual({ sheets: 1, bodyFont: 'Georgia, serif', bodyMargin: '32px', htmlTheme: null });
  });
});
