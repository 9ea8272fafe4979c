/**
 * Issue 4, "Prove it": a video call between two real Chromium pages through the real Kamailio.
 * Chromium's fake camera (--use-fake-device-for-media-stream) feeds both sides; each side's own
 * getStats must show inbound video frames decoded, and the count must keep growing.
 */
import { expect, test, type Browser } from '@playwright/test';
import { callSuite } from './call-suite';
import type { CallPage } from './harness/call-harness';

const suite = callSuite();

function openPhone(browser: Browser, label: string, user: string, listener: 0 | 1): Promise<CallPage> {
  return suite.openPhone(browser, label, user, { listener });
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
