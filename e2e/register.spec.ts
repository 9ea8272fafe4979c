/**
 * Issue 3: registration (RFC 3261 §10, digest authentication §22) in real Chromium against the
 * real Kamailio of test/kamailio, through the harness page e2e/harness/register.html, which
 * drives the SIP core's UserAgent with real buttons and shows its status and log sink.
 *
 * The page records the raw frames it sent (window.ringletHarness.wire) so the tests can check
 * the wire itself: how many REGISTERs went out, that a digest response really was sent, and
 * that none of it leaked into the trace.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startKamailio, type KamailioServer } from '../test/kamailio/kamailio-server';

const HARNESS = '/e2e/harness/register.html';
const ALICE = 'sip:alice@ringlet.test';
const WRONG_PASSWORD = 'not-alices-secret';
/** A REGISTER request line, as it appears in the trace (responses only name REGISTER in CSeq). */
const REGISTER_LINE = /REGISTER sips?:\S+ SIP\/2\.0/g;

let pbx: KamailioServer | undefined;

test.beforeAll(async () => {
  pbx = await startKamailio();
});

test.afterAll(async () => {
  await pbx?.stop();
});

function server(): KamailioServer {
  if (!pbx) throw new Error('Kamailio did not start (see beforeAll)');
  return pbx;
}

interface Harness {
  status: Locator;
  transport: Locator;
  trace: Locator;
  register: Locator;
  unregister: Locator;
  stop: Locator;
  /** Text frames the page sent, straight off its WebSocket. */
  wire(): Promise<string[]>;
}

async function openHarness(page: Page, params: Record<string, string | undefined>): Promise<Harness> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.append(name, value);
  }
  await page.goto(`${HARNESS}?${query.toString()}`);
  return {
    status: page.getByRole('status', { name: 'Registration' }),
    transport: page.locator('p', { hasText: 'Transport:' }),
    trace: page.getByRole('log', { name: 'SIP trace' }),
    register: page.getByRole('button', { name: 'Register', exact: true }),
    unregister: page.getByRole('button', { name: 'Unregister', exact: true }),
    stop: page.getByRole('button', { name: 'Stop', exact: true }),
    wire: () => page.evaluate(() => [...(window.ringletHarness?.wire.sent ?? [])]),
  };
}

function openAsAlice(page: Page, password: string, extra: Record<string, string> = {}): Promise<Harness> {
  return openHarness(page, { ws: server().wsUrls[0], uri: ALICE, user: 'alice', password, ...extra });
}

function registersOnWire(frames: string[]): string[] {
  return frames.filter((frame) => frame.startsWith('REGISTER '));
}

/**
 * REGISTER requests shown in the trace, told apart by their Via branch (§8.1.1.7, one per
 * transaction): a request logged by more than one layer still counts once.
 */
function registerRequestsInTrace(trace: string): number {
  const branches = new Set<string>();
  for (const match of trace.matchAll(REGISTER_LINE)) {
    const head = trace.slice(match.index).split(/\r?\n\r?\n/, 1)[0] ?? '';
    branches.add(/^(?:Via|v)[ \t]*:.*;[ \t]*branch=([^;,\s]+)/im.exec(head)?.[1] ?? `at ${match.index}`);
  }
  return branches.size;
}

/** `response="…"` values of the Authorization headers the page sent. */
function digestResponses(frames: string[]): string[] {
  return frames.flatMap((frame) =>
    [...frame.matchAll(/^Authorization:.*\bresponse="?([0-9a-f]+)"?/gim)].map((m) => m[1] ?? ''),
  );
}

let pageErrors: string[] = [];

test.beforeEach(({ page }) => {
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
});

test.afterEach(async ({ page }, testInfo) => {
  // The page's SIP trace goes with the report: the first thing to read when a test fails.
  const trace = await page
    .getByRole('log', { name: 'SIP trace' })
    .textContent({ timeout: 1_000 })
    .catch(() => null);
  if (trace) await testInfo.attach('sip-trace', { body: trace, contentType: 'text/plain' });
  // Nothing the harness or the UA does may escape as an uncaught exception or rejection.
  expect(pageErrors).toEqual([]);
});

test.describe('REGISTER against Kamailio (RFC 3261 §10)', () => {
  test('alice registers with her password and the page shows the expiry the registrar granted', async ({
    page,
  }) => {
    const alice = server().users['alice'] ?? '';
    // Kamailio's max_expires is 3600 (test/kamailio/kamailio.cfg): asking for more proves the page
    // shows what the 200 OK granted (§10.2.4), not what was asked.
    const ui = await openAsAlice(page, alice, { expires: '7200' });
    await expect(ui.status).toHaveText('unregistered');

    await ui.register.click();

    await expect(ui.status).toHaveText('registered (expires 3600)', { timeout: 10_000 });
    await expect(ui.transport).toHaveText(/^Transport: connected\b/);
    const sent = registersOnWire(await ui.wire());
    // §22.2: the first REGISTER is challenged (401), the retry carries credentials.
    expect(sent.length).toBe(2);
    expect(digestResponses(sent)).toHaveLength(1);
  });

  test('unregister removes the binding and the page shows unregistered', async ({ page }) => {
    const ui = await openAsAlice(page, server().users['alice'] ?? '');
    await ui.register.click();
    await expect(ui.status).toHaveText(/^registered \(expires \d+\)$/, { timeout: 10_000 });

    await ui.unregister.click();

    await expect(ui.status).toHaveText('unregistered', { timeout: 10_000 });
    const sent = registersOnWire(await ui.wire());
    const last = sent.at(-1) ?? '';
    // §10.2.2: removal is a REGISTER whose binding (or Expires header) says 0.
    expect(last).toMatch(/^Expires:\s*0\r?$|^Contact:.*;\s*expires=0\b/im);
  });

  test('stop unregisters and closes the WebSocket', async ({ page }) => {
    const ui = await openAsAlice(page, server().users['alice'] ?? '');
    await ui.register.click();
    await expect(ui.status).toHaveText(/^registered \(expires \d+\)$/, { timeout: 10_000 });

    await ui.stop.click();

    await expect(ui.status).toHaveText('unregistered', { timeout: 10_000 });
    await expect(ui.transport).toHaveText('Transport: disconnected', { timeout: 10_000 });
    const last = registersOnWire(await ui.wire()).at(-1) ?? '';
    expect(last).toMatch(/^Expires:\s*0\r?$|^Contact:.*;\s*expires=0\b/im);
  });

  test('a wrong password fails clearly as auth-failed and is not retried endlessly', async ({ page }) => {
    const ui = await openAsAlice(page, WRONG_PASSWORD);

    await ui.register.click();

    await expect(ui.status).toHaveText(/^failed: auth-failed 401\b/, { timeout: 10_000 });
    // Kamailio answers a wrong digest with a fresh 401 challenge; the UA must give up, not loop.
    // Give a retry loop time to show itself before counting.
    await expect(ui.register).toBeEnabled();
    await page.waitForTimeout(3_000);
    await expect(ui.status).toHaveText(/^failed: auth-failed\b/);
    const trace = (await ui.trace.textContent()) ?? '';
    const onWire = registersOnWire(await ui.wire()).length;
    expect(onWire).toBeGreaterThanOrEqual(2);
    expect(onWire).toBeLessThanOrEqual(3);
    expect(registerRequestsInTrace(trace)).toBeGreaterThanOrEqual(1);
    expect(registerRequestsInTrace(trace)).toBeLessThanOrEqual(3);
    expect(trace).not.toContain(WRONG_PASSWORD);
  });

  test('the SIP trace never holds the password nor a digest response', async ({ page }) => {
    const alice = server().users['alice'] ?? '';
    const ui = await openAsAlice(page, alice);
    await ui.register.click();
    await expect(ui.status).toHaveText(/^registered \(expires \d+\)$/, { timeout: 10_000 });
    await ui.unregister.click();
    await expect(ui.status).toHaveText('unregistered', { timeout: 10_000 });

    const trace = (await ui.trace.textContent()) ?? '';
    const responses = digestResponses(await ui.wire());
    // The check below means something only if credentials really went out and the trace shows SIP.
    expect(responses.length).toBeGreaterThanOrEqual(1);
    expect(registerRequestsInTrace(trace)).toBeGreaterThanOrEqual(2);
    expect(trace).toMatch(/Authorization:/i);

    expect(trace).not.toContain(alice);
    expect(trace).not.toMatch(/response\s*=/i);
    for (const response of responses) expect(trace).not.toContain(response);
  });
});

test.describe('untrusted page parameters', () => {
  test('a missing or bad parameter is reported and nothing can be started', async ({ page }) => {
    const ui = await openHarness(page, { ws: 'http://127.0.0.1:1', uri: 'alice', password: undefined });

    await expect(ui.status).toHaveText(
      'not configured: parameter "ws" must be a ws:// or wss:// URL; ' +
        'parameter "uri" must be a sip: or sips: URI with a user part; missing parameter "password"',
    );
    await expect(ui.register).toBeDisabled();
    await expect(ui.unregister).toBeDisabled();
    await expect(ui.stop).toBeDisabled();
  });
});
