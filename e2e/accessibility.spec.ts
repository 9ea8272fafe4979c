/**
 * Issue 5, "Prove it": an accessibility check (axe-core, through @axe-core/playwright) of every
 * screen of the softphone, in the light and the dark theme: no serious or critical violation.
 *
 * The screens with a call (incoming, in call) need a real one: two browser contexts register with
 * the real Kamailio of test/kamailio through the Account form, as in softphone.spec.ts. The theme
 * is the app's default, "Same as the system", and the system's preference is switched with
 * Playwright's colour-scheme emulation, so both themes are checked on the very same screen state.
 */
import { expect, test, type Page } from '@playwright/test';
import { appSuite } from './app-suite';
import * as states from './screen-states';
import { describeViolations, goTo, openApp, phone, seriousViolations } from './ui-helpers';

// Tracing records axe's large injected script and a DOM snapshot at each of its steps: with it on,
// this file takes three times as long. A failure prints the violations, which is what is needed.
test.use({ trace: 'off' });

const suite = appSuite();
const server = suite.server;

/** Axe on `page` as it is now, once per theme; every screen is reported, not just the first bad one. */
async function checkScreen(page: Page, screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveCSS('color-scheme', colorScheme);
    const problems = await seriousViolations(page);
    expect
      .soft(
        problems,
        `${screen} (${colorScheme}): serious or critical axe violations\n${describeViolations(problems)}`,
      )
      .toEqual([]);
  }
}

test('every screen, light and dark: no serious or critical axe violations', async ({ browser }) => {
  test.setTimeout(90_000);
  const baseURL = test.info().project.use.baseURL ?? '';
  const [a, b] = await Promise.all([openApp(browser, baseURL, 'A'), openApp(browser, baseURL, 'B')]);
  suite.track(a, b);

  // Account form with a validation error shown.
  await states.showAccountFormError(a.page, server().wsUrls[0] ?? '', server().users['alice'] ?? '');
  await expect(a.page.getByRole('textbox', { name: 'SIP address', exact: true })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await checkScreen(a.page, 'Account form with a validation error');

  await states.registerAliceAndBob(a.page, b.page, server());

  await goTo(a.page, 'Settings');
  await checkScreen(a.page, 'Settings');

  await goTo(a.page, 'Phone');
  const pa = phone(a.page);
  const pb = phone(b.page);
  await expect(pa.dialInput).toBeVisible();
  await checkScreen(a.page, 'Phone (idle dialpad)');

  await pa.dialInput.fill('bob');
  await pa.call.click();
  await expect(pb.incoming).toBeVisible({ timeout: 10_000 });
  await checkScreen(b.page, 'Incoming call');
  await checkScreen(a.page, 'Outgoing call, ringing');

  await states.bobAnswers(pa, pb);
  await pa.keypad.click();
  await expect(pa.dtmfKeypad).toBeVisible();
  await checkScreen(a.page, 'In call (keypad open)');
  await states.aliceHolds(pa, pb);
  await checkScreen(b.page, 'In call (held by the other side)');

  await states.hangUp(pa, pb);
  await checkScreen(a.page, 'Phone after a call (ended note)');

  await states.showHistoryWithOneCall(a.page);
  await checkScreen(a.page, 'History with an entry');

  await goTo(a.page, 'Contacts');
  await checkScreen(a.page, 'Contacts (empty)');
  await states.showContactEditForm(a.page);
  await checkScreen(a.page, 'Contacts with one contact and the edit form');
  // A contact form with its errors shown.
  await a.page.getByRole('textbox', { name: 'Name', exact: true }).fill('');
  await a.page.getByRole('button', { name: 'Save contact' }).click();
  await expect(a.page.getByText('Enter a name.')).toBeVisible();
  await checkScreen(a.page, 'Contact form with a validation error');
});
