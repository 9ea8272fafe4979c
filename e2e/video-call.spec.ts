/**
 * Issue 4, "Prove it": a video call between two real Chromium pages through the real Kamailio.
 * Chromium's fake camera (--use-fake-device-for-media-stream) feeds both sides; each side's own
 * getStats must show inbound video frames decoded, and the count must keep growing.
 */
import { expect, test, type Browser } from '@playwright/test';
import { startKamailio, type KamailioServer } from '../test/kamailio/kamailio-server';
import { openCallPage, warmUpCallHarness, type CallPage } from './harness/call-harness';

let pbx: KamailioServer | undefined;
let opened: CallPage[] = [];

test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  const baseURL = test.info().project.use.baseURL;
  if (!baseURL) throw new Error('playwright.config.ts sets no baseURL');
  [pbx] = await Promise.all([startKamailio(), warmUpCallHarness(browser, baseURL)]);
});

test.afterAll(async () => {
  await pbx?.stop();
});

test.beforeEach(() => {
  opened = [];
});

// Playwright requires an object pattern here, even when the hook needs no fixture.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const phone of opened) {
      for (const { name, body } of await phone.diagnostics()) {
        await testInfo.attach(name, { body, contentType: 'text/plain' });
      }
    }
    await testInfo.attach('kamailio-log', { body: pbx?.readLog() ?? '', contentType: 'text/plain' });
  }
  const errors = opened.flatMap((phone) => phone.pageErrors.map((error) => `${phone.label}: ${error}`));
  await Promise.all(opened.map((phone) => phone.context.close()));
  expect(errors).toEqual([]);
});

async function openPhone(browser: Browser, label: string, user: string, listener: 0 | 1): Promise<CallPage> {
  if (!pbx) throw new Error('Kamailio did not start (see beforeAll)');
  const baseURL = test.info().project.use.baseURL;
  if (!baseURL) throw new Error('playwright.config.ts sets no baseURL');
  const phone = await openCallPage(browser, baseURL, label, {
    ws: pbx.wsUrls[listener],
    uri: `sip:${user}@${pbx.domain}`,
    password: pbx.users[user],
  });
  opened.push(phone);
  await expect(phone.registration).toHaveText(/^registered \(expires \d+\)$/, { timeout: 10_000 });
  return phone;
}

async function framesDecoded(phone: CallPage): Promise<number> {
  return (await phone.stats())?.video.framesDecoded ?? 0;
}

test('A video-calls B, B answers with video: both sides decode inbound video frames', async ({ browser }) => {
  test.setTimeout(45_000);
  const a = await openPhone(browser, 'A', 'alice', 0);
  const b = await openPhone(browser, 'B', 'bob', 1);

  await a.dial('sip:bob@ringlet.test', { video: true });
  await expect(b.callState).toHaveText('ringing');
  await b.answerVideo.click();
  await expect(b.callState).toHaveText('connected', { timeout: 10_000 });
  await expect(a.callState).toHaveText('connected', { timeout: 10_000 });

  for (const phone of [a, b]) {
    await expect
      .poll(() => framesDecoded(phone), { message: `${phone.label} decodes video`, timeout: 15_000 })
      .toBeGreaterThan(0);
  }
  const before = await Promise.all([a, b].map(framesDecoded));
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const after = await Promise.all([a, b].map(framesDecoded));
  // The fake camera runs at 30 fps; even a throttled decoder shows a few frames in 1.5 s.
  expect((after[0] ?? 0) - (before[0] ?? 0), 'A: frames decoded in 1.5 s').toBeGreaterThan(5);
  expect((after[1] ?? 0) - (before[1] ?? 0), 'B: frames decoded in 1.5 s').toBeGreaterThan(5);
  // And the page renders them: the remote <video> knows the picture size.
  for (const phone of [a, b]) {
    await expect
      .poll(() => phone.remoteVideo.evaluate((video: HTMLVideoElement) => video.videoWidth), {
        message: `${phone.label} shows the remote picture`,
      })
      .toBeGreaterThan(0);
  }

  await a.hangup.click();
  await expect(b.callState).toHaveText(/^ended: remote bye\b/, { timeout: 10_000 });
});
