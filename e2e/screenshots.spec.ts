/**
 * Issue 5, "Prove it": screenshots of every screen of the softphone, light and dark, on a desktop
 * (1280×800) and a small phone (360×740), saved under test-results/screenshots/ (kept as artifacts)
 * and attached to the test. People look at them; the test itself only checks that the screen
 * shown is the one named, and that starting a call does not move what was already on screen.
 *
 * The theme is the app's default, "Same as the system", switched with colour-scheme emulation.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { appSuite } from './app-suite';
import * as states from './screen-states';
import { goTo, navButton, openApp, phone, statusBar } from './ui-helpers';

const SCREENSHOT_DIR = join('test-results', 'screenshots');

const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'mobile', width: 360, height: 740 },
] as const;

test.beforeAll(() => {
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

const suite = appSuite();
const server = suite.server;

/** Saves and attaches `screen` in both themes at both sizes; leaves the page light, on the desktop size. */
async function shoot(page: Page, screen: string, testInfo: TestInfo): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expect(page.locator('html')).toHaveCSS('color-scheme', colorScheme);
      const name = `${screen}-${colorScheme}-${size.name}-${size.width}x${size.height}.png`;
      const path = join(SCREENSHOT_DIR, name);
      await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
      await testInfo.attach(name, { path, contentType: 'image/png' });
    }
  }
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
  await page.emulateMedia({ colorScheme: 'light' });
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`${locator.toString()} has no box (not visible)`);
  return found;
}

test('every screen, light and dark, desktop and 360 px wide', async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const baseURL = test.info().project.use.baseURL ?? '';
  const viewport = { width: SIZES[0].width, height: SIZES[0].height };
  const [a, b] = await Promise.all([
    openApp(browser, baseURL, 'A', { viewport }),
    openApp(browser, baseURL, 'B', { viewport }),
  ]);
  suite.track(a, b);
  const pa = phone(a.page);
  const pb = phone(b.page);

  // Account form, as a newcomer sees it, then with a validation error.
  await expect(a.page.getByRole('heading', { level: 2, name: 'Account' })).toBeVisible();
  await shoot(a.page, '01-account-newcomer', testInfo);
  await states.showAccountFormError(a.page, 'http://wrong.example', server().users['alice'] ?? '');
  await shoot(a.page, '02-account-errors', testInfo);

  await states.registerAliceAndBob(a.page, b.page, server());

  await goTo(a.page, 'Settings');
  await shoot(a.page, '03-settings', testInfo);

  await goTo(a.page, 'Phone');
  await pa.dialInput.fill('bob');
  await shoot(a.page, '04-phone-idle', testInfo);

  // What was on screen before the call must not move when it starts.
  const before = {
    status: await box(statusBar(a.page)),
    nav: await box(navButton(a.page, 'Phone')),
  };
  await pa.call.click();
  const aCall = pa.inCall('bob');
  await expect(aCall).toBeVisible();
  const calling = {
    status: await box(statusBar(a.page)),
    nav: await box(navButton(a.page, 'Phone')),
    party: await box(aCall.getByRole('heading', { name: 'bob' })),
    hangup: await box(pa.hangup),
  };
  expect(calling.status, 'the status bar stays put when a call starts').toEqual(before.status);
  expect(calling.nav, 'the navigation stays put when a call starts').toEqual(before.nav);

  await expect(pb.incoming).toBeVisible({ timeout: 10_000 });
  await expect(aCall).toContainText(/Calling…|Ringing…/);
  await shoot(b.page, '05-incoming-call', testInfo);
  await shoot(a.page, '06-outgoing-ringing', testInfo);

  await states.bobAnswers(pa, pb);
  await expect(pa.timer).toBeVisible();
  // The answer (and the timer appearing) does not shift the call card's content either.
  expect(
    await box(aCall.getByRole('heading', { name: 'bob' })),
    'the party name stays put on answer',
  ).toEqual(calling.party);
  expect(await box(pa.hangup), 'Hang up stays put on answer').toEqual(calling.hangup);
  await shoot(b.page, '07-in-call', testInfo);
  await pa.keypad.click();
  await pa.mute.click();
  await pa.dtmfKey('1').click();
  await expect(pa.dtmfKeypad).toContainText('Sent: 1');
  await shoot(a.page, '08-in-call-muted-keypad', testInfo);
  await states.aliceHolds(pa, pb);
  await shoot(b.page, '09-in-call-held-by-other-side', testInfo);

  await states.hangUp(pb, pa);
  await shoot(a.page, '10-phone-after-call', testInfo);

  await states.showHistoryWithOneCall(a.page);
  await shoot(a.page, '11-history', testInfo);

  await goTo(a.page, 'Contacts');
  await states.showContactEditForm(a.page);
  await shoot(a.page, '12-contacts-edit', testInfo);
});
