/**
 * Issue 4, "Prove it": calls with real media between real Chromium pages through the real
 * Kamailio of test/kamailio. Each page is e2e/harness/call.html (the phone of src/phone behind
 * real buttons) in its own browser context, fed by Chromium's fake microphone and camera.
 *
 * "Media flows" is read from the receiving side's own getStats (inbound-rtp packetsReceived),
 * sampled twice about 1.5 s apart: a counter that grows means RTP really arrives now, not that it
 * once did. Signalling facts (CANCEL, Reason, 486) are read from the frames each page put on or
 * took off its WebSocket.
 */
import { expect, test, type Browser } from '@playwright/test';
import { callSuite, type PhoneOptions } from './call-suite';
import { openCallPage, type CallPage, type HarnessEvent, type WireFrame } from './harness/call-harness';

const suite = callSuite();
const server = suite.server;

/** Opens a harness page as `user` in a fresh context and waits until it is registered. */
function openPhone(
  browser: Browser,
  label: string,
  user: string,
  options: PhoneOptions = {},
): Promise<CallPage> {
  return suite.openPhone(browser, label, user, options);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function audioPacketsReceived(phone: CallPage): Promise<number> {
  return (await phone.stats())?.audio.packetsReceived ?? 0;
}

/** How much each page's inbound audio counter grew over `ms` (all pages sampled together). */
async function audioGrowth(phones: CallPage[], ms = 1_500): Promise<number[]> {
  const before = await Promise.all(phones.map(audioPacketsReceived));
  await sleep(ms);
  const after = await Promise.all(phones.map(audioPacketsReceived));
  return after.map((count, i) => count - (before[i] ?? 0));
}

/** Inbound audio arrives on every page, and keeps arriving (Opus: ~50 packets a second). */
async function expectAudioFlowing(phones: CallPage[]): Promise<void> {
  for (const phone of phones) {
    await expect
      .poll(() => audioPacketsReceived(phone), { message: `${phone.label} receives audio`, timeout: 10_000 })
      .toBeGreaterThan(0);
  }
  const growth = await audioGrowth(phones);
  phones.forEach((phone, i) => {
    expect(growth[i], `${phone.label}: inbound audio packets in 1.5 s`).toBeGreaterThan(25);
  });
  // And the phone handed the remote stream to the page, which plays it.
  for (const phone of phones) {
    await expect
      .poll(() => phone.remoteAudioTracks(), { message: `${phone.label} plays the remote audio` })
      .toBeGreaterThan(0);
  }
}

function firstEvent(events: HarnessEvent[], name: string, detail?: RegExp): HarnessEvent | undefined {
  return events.find((event) => event.name === name && (detail === undefined || detail.test(event.detail)));
}

function framesStarting(frames: WireFrame[], direction: 'in' | 'out', start: string): WireFrame[] {
  return frames.filter((frame) => frame.direction === direction && frame.text.startsWith(start));
}

test.describe('audio call between two browsers through Kamailio', () => {
  test('A calls B: ringing, two-way audio, hold and resume, DTMF, hang up with the right causes', async ({
    browser,
  }) => {
    test.setTimeout(60_000);
    // A and B on different Kamailio listeners: the call crosses them, as calls between users do.
    // dtmf=info: a browser cannot report RFC 4733 events it receives, so INFO is what B can show.
    const a = await openPhone(browser, 'A', 'alice', { listener: 0, dtmf: 'info' });
    const b = await openPhone(browser, 'B', 'bob', { listener: 1 });

    await a.dial('sip:bob@ringlet.test');
    await expect(b.callState).toHaveText('ringing');
    await expect(b.incoming).toBeVisible();
    await expect(b.caller).toHaveText(/<sip:alice@ringlet\.test>$|^sip:alice@ringlet\.test$/);
    await expect(a.callState).toHaveText('ringing');

    await b.answer.click();
    await expect(b.callState).toHaveText('connected', { timeout: 10_000 });
    await expect(a.callState).toHaveText('connected', { timeout: 10_000 });
    await expect(b.incoming).toBeHidden();
    await expectAudioFlowing([a, b]);

    // Hold (RFC 3264 §8.4): A offers sendonly, B answers recvonly; committed on the 2xx.
    await a.hold.click();
    await expect(a.callState).toHaveText('on hold', { timeout: 10_000 });
    await expect(b.callState).toHaveText('held by remote', { timeout: 10_000 });
    await expect(a.resume).toBeEnabled();
    const reInvite = framesStarting(await a.wire(), 'out', 'INVITE ').at(-1)?.text ?? '';
    expect(reInvite, 'the hold re-INVITE is in-dialog').toMatch(/^To:.*;tag=/im);
    expect(reInvite, 'the hold offer stops A receiving').toMatch(/^a=(sendonly|inactive)\r?$/m);
    // Let packets already in flight land, then the held stream must be silent.
    await sleep(500);
    const [aHeld = 0, bHeld = 0] = await audioGrowth([a, b]);
    test.info().annotations.push({
      type: 'audio packets in 1.5 s while A holds B',
      description: `A received ${aHeld}, B received ${bHeld}`,
    });
    // The held party stops sending: its answer is recvonly, so A hears nothing from B.
    expect(aHeld, 'A: inbound audio packets in 1.5 s while holding').toBeLessThanOrEqual(3);
    // Issue 4: "A holds (B's inbound packets stop growing)". RFC 3264 §8.4 lets a holder keep
    // sending (music on hold), but a browser has none: what would reach B is A's live microphone.
    expect(bHeld, 'B: inbound audio packets in 1.5 s while held').toBeLessThanOrEqual(3);

    await a.resume.click();
    await expect(a.callState).toHaveText('connected', { timeout: 10_000 });
    await expect(b.callState).toHaveText('connected', { timeout: 10_000 });
    await sleep(300);
    const resumed = await audioGrowth([a, b]);
    expect(resumed[0], 'A: inbound audio packets in 1.5 s after resume').toBeGreaterThan(25);
    expect(resumed[1], 'B: inbound audio packets in 1.5 s after resume').toBeGreaterThan(25);

    await a.key('1').click();
    await a.key('#').click();
    await expect(b.receivedDtmf).toHaveText(['1 via info', '# via info'], { timeout: 10_000 });

    await a.hangup.click();
    await expect(a.callState).toHaveText(/^ended: local bye\b/, { timeout: 10_000 });
    await expect(b.callState).toHaveText(/^ended: remote bye\b/, { timeout: 10_000 });
    expect(framesStarting(await a.wire(), 'out', 'BYE ')).toHaveLength(1);
  });

  test('B rejects with busy: A ends with busy (486); the caller is shown as text', async ({ browser }) => {
    // A display name that would be markup if the page used innerHTML.
    const displayName = 'Carol <b>Smith</b>';
    const a = await openPhone(browser, 'A', 'carol', { name: displayName });
    const b = await openPhone(browser, 'B', 'dave', { listener: 1 });

    await a.dial('dave');
    await expect(b.callState).toHaveText('ringing');
    await expect(b.caller).toHaveText(`${displayName} <sip:carol@ringlet.test>`);
    await expect(b.caller.locator('b')).toHaveCount(0);

    await b.busy.click();

    await expect(a.callState).toHaveText(/^ended: remote busy 486\b/, { timeout: 10_000 });
    await expect(b.callState).toHaveText(/^ended: local\b/);
    expect(framesStarting(await b.wire(), 'out', 'SIP/2.0 486 ')).toHaveLength(1);
    await expect(a.call).toBeEnabled();
  });

  test('A cancels before B answers: B ends with cancel', async ({ browser }) => {
    const a = await openPhone(browser, 'A', 'alice');
    const b = await openPhone(browser, 'B', 'bob', { listener: 1 });

    await a.dial('sip:bob@ringlet.test');
    await expect(b.callState).toHaveText('ringing');
    await expect(a.callState).toHaveText('ringing');

    await a.hangup.click();

    await expect(b.callState).toHaveText(/^ended: remote cancel\b/, { timeout: 10_000 });
    await expect(a.callState).toHaveText(/^ended: local\b/, { timeout: 10_000 });
    await expect(b.incoming).toBeHidden();
    expect(framesStarting(await a.wire(), 'out', 'CANCEL ')).toHaveLength(1);
    // RFC 3261 §9.2: the UAS answers the CANCELled INVITE with 487.
    expect(framesStarting(await b.wire(), 'out', 'SIP/2.0 487 ').length).toBeGreaterThanOrEqual(1);
  });

  test('B registered in two pages: both ring, one answers, the other stops with "completed elsewhere"', async ({
    browser,
  }) => {
    const a = await openPhone(browser, 'A', 'alice');
    const b1 = await openPhone(browser, 'B1', 'bob', { listener: 1 });
    const b2 = await openPhone(browser, 'B2', 'bob', { listener: 0 });

    await a.dial('sip:bob@ringlet.test');
    await expect(b1.callState).toHaveText('ringing');
    await expect(b2.callState).toHaveText('ringing');
    await expect(b2.incoming).toBeVisible();

    await b1.answer.click();

    await expect(b1.callState).toHaveText('connected', { timeout: 10_000 });
    await expect(a.callState).toHaveText('connected', { timeout: 10_000 });
    await expect(b2.callState).toHaveText(
      /^ended: \w+ completed-elsewhere\b.*\(Call completed elsewhere\)$/,
      {
        timeout: 10_000,
      },
    );
    await expect(b2.incoming).toBeHidden();
    // RFC 3326: Kamailio's CANCEL to the other fork says why.
    const cancel = framesStarting(await b2.wire(), 'in', 'CANCEL ')[0]?.text ?? '';
    expect(cancel).toMatch(/^Reason:.*cause=200\b.*Call completed elsewhere/im);
    await expectAudioFlowing([a, b1]);

    await a.hangup.click();
    await expect(b1.callState).toHaveText(/^ended: remote bye\b/, { timeout: 10_000 });
  });
});

test.describe('ICE gathering does not hold the INVITE back', () => {
  test('with an unreachable STUN server configured, B rings within 2 s of clicking Call', async ({
    browser,
  }) => {
    // Nothing listens on UDP port 9 (discard) of loopback: the STUN server never answers.
    const a = await openPhone(browser, 'A', 'carol', { stun: 'stun:127.0.0.1:9' });
    const b = await openPhone(browser, 'B', 'dave', { listener: 1 });

    await a.dial('sip:dave@ringlet.test');
    await expect(b.callState).toHaveText('ringing', { timeout: 5_000 });

    const aEvents = await a.events();
    const bEvents = await b.events();
    const clicked = firstEvent(aEvents, 'call-clicked');
    const inviteSent = firstEvent(aEvents, 'sip-out', /^INVITE /);
    const rang = firstEvent(bEvents, 'incoming');
    expect(clicked && inviteSent && rang, 'click, INVITE and ring were all recorded').toBeTruthy();
    const toInvite = (inviteSent?.at ?? Infinity) - (clicked?.at ?? 0);
    const toRing = (rang?.at ?? Infinity) - (clicked?.at ?? 0);
    test.info().annotations.push({
      type: 'ICE timeout',
      description: `INVITE after ${toInvite.toFixed(0)} ms, B rang after ${toRing.toFixed(0)} ms; ${inviteSent?.detail ?? ''}`,
    });
    expect(toInvite, 'ms from Call to the first INVITE on the wire').toBeLessThan(1_500);
    expect(toRing, 'ms from Call to B ringing').toBeLessThan(2_000);
    // The offer went out with the candidates gathered so far, not empty.
    const invite = framesStarting(await a.wire(), 'out', 'INVITE ')[0]?.text ?? '';
    expect(invite).toMatch(/^a=candidate:/m);

    // And the call still works on host candidates.
    await b.answer.click();
    await expect(a.callState).toHaveText('connected', { timeout: 10_000 });
    await expectAudioFlowing([a, b]);
    await a.hangup.click();
    await expect(b.callState).toHaveText(/^ended: remote bye\b/, { timeout: 10_000 });
  });
});

test.describe('untrusted page parameters', () => {
  test('bad call parameters are reported and nothing starts', async ({ browser }) => {
    const baseURL = test.info().project.use.baseURL ?? '';
    const phone = await openCallPage(browser, baseURL, 'bad', {
      ws: server().wsUrls[0],
      uri: 'sip:alice@ringlet.test',
      password: 'alice-secret',
      stun: 'http://127.0.0.1:9/<script>',
      dtmf: 'morse',
      iceTimeout: '-1',
    });
    suite.track(phone);

    await expect(phone.registration).toHaveText(
      'not configured: parameter "stun" must be a stun: or stuns: URI (host and optional port); ' +
        'parameter "dtmf" must be one of auto, rfc4733, info; ' +
        'parameter "iceTimeout" must be an integer from 0 to 30000',
    );
    await expect(phone.call).toBeDisabled();
    await expect(phone.videoCall).toBeDisabled();
    await expect(phone.hangup).toBeDisabled();
    expect(await phone.wire()).toEqual([]);
  });
});
