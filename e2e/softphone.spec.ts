/**
 * Issue 5, "Prove it": the softphone as a person uses it, in real Chromium against the real
 * Kamailio of test/kamailio. Two browser contexts are two people (each has its own IndexedDB);
 * each sets up its account through the Account form, and everything after is done with the
 * visible controls: the dialpad, the incoming-call card, the in-call buttons, the screens.
 */
import { expect, test, type Browser } from '@playwright/test';
import { appSuite } from './app-suite';
import { hangUp, registerAliceAndBob } from './screen-states';
import {
  addContact,
  contactEntries,
  fillAccount,
  goTo,
  historyEntries,
  openApp,
  phone,
  statusBar,
  timerSeconds,
  type AppPage,
} from './ui-helpers';

const suite = appSuite();
const server = suite.server;

async function open(browser: Browser, label: string): Promise<AppPage> {
  const baseURL = test.info().project.use.baseURL ?? '';
  const app = await openApp(browser, baseURL, label);
  suite.track(app);
  return app;
}

test('A calls B through the dialpad: answer, timer, mute, hold, DTMF, hang up, history; a reload keeps it all', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const [a, b] = await Promise.all([open(browser, 'A'), open(browser, 'B')]);
  const pa = phone(a.page);
  const pb = phone(b.page);

  // A newcomer lands on the account form; each person fills it in and connects.
  await expect(a.page.getByRole('heading', { level: 2, name: 'Account' })).toBeVisible();
  await registerAliceAndBob(a.page, b.page, server(), { remember: true });
  await expect(statusBar(a.page)).toContainText('as sip:alice@ringlet.test');
  await expect(statusBar(b.page)).toContainText('as sip:bob@ringlet.test');

  // Settings changed before the call, to be found again after the reload.
  await goTo(a.page, 'Settings');
  await a.page.getByRole('radio', { name: 'Dark' }).check();
  await a.page.getByRole('slider', { name: 'Ringtone volume' }).fill('30');
  await expect(a.page.getByRole('slider', { name: 'Ringtone volume' })).toHaveValue('30');

  // A dials "bob" by typing, and presses Call.
  await goTo(a.page, 'Phone');
  await pa.dialInput.pressSequentially('bob');
  await expect(pa.dialInput).toHaveValue('bob');
  await pa.call.click();

  // B's incoming-call card names Alice (her display name) and her number (the user part).
  await expect(pb.incoming).toBeVisible({ timeout: 10_000 });
  await expect(pb.incoming.getByText('Alice', { exact: true })).toBeVisible();
  await expect(pb.incoming.getByText('alice', { exact: true })).toBeVisible();
  await expect(pa.inCall('bob')).toContainText(/Calling…|Ringing…/);

  await pb.answer.click();
  await expect(pb.incoming).toBeHidden();
  const aCall = pa.inCall('bob');
  const bCall = pb.inCall('Alice');
  await expect(aCall).toContainText('Connected', { timeout: 10_000 });
  await expect(bCall).toContainText('Connected', { timeout: 10_000 });

  // The timer runs on both sides.
  for (const timer of [pa.timer, pb.timer]) {
    await expect(timer).toBeVisible();
    const first = await timerSeconds(timer);
    await expect.poll(() => timerSeconds(timer), { timeout: 4_000 }).toBeGreaterThan(first);
  }

  // A mutes: A's button is pressed and A's card says so.
  await pa.mute.click();
  await expect(pa.mute).toHaveAttribute('aria-pressed', 'true');
  await expect(aCall).toContainText('Microphone muted');

  // A holds: A shows "On hold", B shows that the other side holds the call.
  await pa.hold.click();
  await expect(pa.hold).toHaveAttribute('aria-pressed', 'true');
  await expect(aCall).toContainText('On hold', { timeout: 10_000 });
  await expect(bCall).toContainText('Held by the other side', { timeout: 10_000 });

  // A resumes: both connected again, A still muted.
  await pa.hold.click();
  await expect(pa.hold).toHaveAttribute('aria-pressed', 'false');
  await expect(aCall).toContainText('Connected', { timeout: 10_000 });
  await expect(bCall).toContainText('Connected', { timeout: 10_000 });
  await expect(aCall).toContainText('Microphone muted');

  // A sends DTMF "1" from the in-call keypad.
  await pa.keypad.click();
  await expect(pa.dtmfKeypad).toBeVisible();
  await pa.dtmfKey('1').click();
  await expect(pa.dtmfKeypad).toContainText('Sent: 1');
  // B's screen shows nothing about received tones (the app has no such display): see the report.

  // B hangs up: both cards go, both see the ended note and the dialpad again.
  await hangUp(pb, pa);
  await expect(a.page.getByText(/^Call with bob ended: hung up/)).toBeVisible();
  await expect(b.page.getByText(/^Call with Alice ended: hung up/)).toBeVisible();

  // Both histories show the call: direction, party, result, a duration.
  await goTo(a.page, 'History');
  const aEntry = historyEntries(a.page);
  await expect(aEntry).toHaveCount(1);
  await expect(aEntry).toContainText('bob');
  await expect(aEntry).toContainText('Outgoing');
  await expect(aEntry).toContainText('Answered');
  await expect(aEntry).toContainText(/Duration \d+:\d\d/);
  await goTo(b.page, 'History');
  const bEntry = historyEntries(b.page);
  await expect(bEntry).toHaveCount(1);
  await expect(bEntry).toContainText('Alice');
  await expect(bEntry).toContainText('Incoming');
  await expect(bEntry).toContainText('Answered');

  // A contact, added before the reload.
  await goTo(a.page, 'Contacts');
  const contacts = await addContact(a.page, 'Bob Builder', 'sip:bob@ringlet.test');
  await expect(contacts).toHaveCount(1);
  await expect(contacts).toContainText('Bob Builder');

  // Reload A: the remembered account reconnects by itself; settings, history, contacts are kept.
  await a.page.reload();
  await expect(statusBar(a.page)).toContainText('Registered', { timeout: 15_000 });
  // The dark theme is applied from the start, not only ticked in the settings.
  await expect(a.page.locator('html')).toHaveCSS('color-scheme', 'dark');
  await goTo(a.page, 'Settings');
  await expect(a.page.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await expect(a.page.getByRole('slider', { name: 'Ringtone volume' })).toHaveValue('30');
  await goTo(a.page, 'History');
  const kept = historyEntries(a.page);
  await expect(kept).toHaveCount(1);
  await expect(kept).toContainText('Outgoing');
  await expect(kept).toContainText('Answered');
  await goTo(a.page, 'Contacts');
  await expect(contactEntries(a.page)).toContainText('Bob Builder');
});

test('a wrong password is reported in plain words: status bar and "Test connection"', async ({ browser }) => {
  const c = await open(browser, 'C');
  await fillAccount(c.page, {
    server: server().wsUrls[0] ?? '',
    uri: `sip:carol@${server().domain}`,
    password: 'not-carols-password',
  });
  await c.page.getByRole('button', { name: 'Save and connect', exact: true }).click();

  await expect(statusBar(c.page)).toContainText('Registration failed', { timeout: 15_000 });
  await expect(statusBar(c.page)).toContainText('Wrong user name or password.');
  await expect(statusBar(c.page).getByRole('button', { name: 'Try again' })).toBeVisible();

  await c.page.getByRole('button', { name: 'Test connection' }).click();
  await expect(c.page.getByText('The server says the user name or password is wrong.')).toBeVisible({
    timeout: 15_000,
  });
});
