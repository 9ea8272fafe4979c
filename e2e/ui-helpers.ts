/**
 * Helpers for the end-to-end tests of the softphone itself (index.html → src/ui/App.tsx): they
 * drive only what a person uses (roles, labels, visible text), never the store or the DOM's classes.
 *
 * Each phone is its own browser context, so it has its own IndexedDB: two contexts are two people.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';

/** The screens of the main navigation, by their visible names. */
export type ScreenName = 'Phone' | 'History' | 'Contacts' | 'Settings' | 'Account';

export interface AppPage {
  readonly label: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught exceptions and rejections of the page, for the test to assert empty. */
  readonly errors: string[];
}

export interface OpenAppOptions {
  readonly viewport?: { width: number; height: number };
  readonly colorScheme?: 'light' | 'dark';
}

/**
 * Loads the app once in a throwaway context so Vite has transformed every module (and reloaded
 * the page after optimising a dependency, if it does) before a test starts its clock: the first
 * load on a cold server takes tens of seconds on a busy two-core machine.
 */
export async function warmUpApp(browser: Browser, baseURL: string, timeout = 90_000): Promise<void> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(new URL('/', baseURL).href, { timeout });
    await page.getByRole('heading', { level: 1, name: 'Ringlet' }).waitFor({ timeout });
  } finally {
    await context.close();
  }
}

/**
 * Vite's HMR socket (same origin as the page, `?token=`) would reload the page whenever someone
 * saves a source file, losing the call mid-test: `context` answers it with a silent stand-in. SIP
 * sockets go to their server's own port and are untouched.
 */
export async function silenceViteHmr(context: BrowserContext, baseURL: string): Promise<void> {
  const origin = new URL(baseURL);
  await context.routeWebSocket(
    (url) => url.host === origin.host && url.searchParams.has('token'),
    () => undefined,
  );
}

/** Opens `/` (no `?user=`) in a fresh context: a newcomer, who lands on the account form. */
export async function openApp(
  browser: Browser,
  baseURL: string,
  label: string,
  options: OpenAppOptions = {},
): Promise<AppPage> {
  const context = await browser.newContext({
    ...(options.viewport ? { viewport: options.viewport } : {}),
    ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
  });
  await silenceViteHmr(context, baseURL);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${label}: ${error.name}: ${error.message}`));
  await page.goto(new URL('/', baseURL).href);
  await expect(page.getByRole('heading', { level: 1, name: 'Ringlet' })).toBeVisible({ timeout: 30_000 });
  return { label, context, page, errors };
}

/** The main navigation's button for `screen` (History may carry a missed-call badge in its name). */
export function navButton(page: Page, screen: ScreenName): Locator {
  return page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: new RegExp(`^${screen}\\b`) });
}

/** Shows `screen` and waits for its heading to be there. */
export async function goTo(page: Page, screen: ScreenName): Promise<void> {
  await navButton(page, screen).click();
  await expect(navButton(page, screen)).toHaveAttribute('aria-current', 'page');
  if (screen !== 'Phone') {
    await expect(page.getByRole('heading', { level: 2, name: screen, exact: true })).toBeVisible();
  }
}

/** The status bar in the header. */
export function statusBar(page: Page): Locator {
  return page.getByRole('region', { name: 'Registration' });
}

export interface AccountDetails {
  readonly server: string;
  readonly uri: string;
  readonly password: string;
  readonly displayName?: string;
  readonly remember?: boolean;
}

/** Fills the account form as a person would; does not save. */
export async function fillAccount(page: Page, account: AccountDetails): Promise<void> {
  await goTo(page, 'Account');
  await page.getByRole('textbox', { name: 'Server 1', exact: true }).fill(account.server);
  await page.getByRole('textbox', { name: 'SIP address', exact: true }).fill(account.uri);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('checkbox', { name: 'Remember on this device' }).setChecked(account.remember ?? true);
  if (account.displayName !== undefined) {
    await page.getByRole('textbox', { name: 'Display name', exact: true }).fill(account.displayName);
  }
}

/** Fills the account form, presses "Save and connect" and waits for "Registered". */
export async function setUpAccount(page: Page, account: AccountDetails): Promise<void> {
  await fillAccount(page, account);
  await page.getByRole('button', { name: 'Save and connect', exact: true }).click();
  await expect(statusBar(page)).toContainText('Registered', { timeout: 15_000 });
}

/** What `phone(page)` returns. */
export type Phone = ReturnType<typeof phone>;

/** The parts of the phone screen a person looks at and presses. */
export function phone(page: Page) {
  const button = (name: string): Locator => page.getByRole('button', { name, exact: true });
  return {
    dialInput: page.getByRole('textbox', { name: 'Number or SIP address' }),
    dialKey: (key: string): Locator =>
      page.getByRole('group', { name: 'Keypad' }).getByRole('button', { name: key }),
    call: button('Call'),
    incoming: page.getByRole('region', { name: /^Incoming (video )?call$/ }),
    answer: button('Answer'),
    decline: button('Decline'),
    /** The card of the call in front: the region named after the other party. */
    inCall: (party: string): Locator => page.getByRole('region', { name: party, exact: true }),
    timer: page.getByRole('timer', { name: 'Call duration' }),
    mute: button('Mute'),
    hold: button('Hold'),
    keypad: button('Keypad'),
    dtmfKeypad: page.getByRole('group', { name: 'Keypad for tones' }),
    dtmfKey: (digit: string): Locator => button(`Send ${digit}`),
    hangup: button('Hang up'),
  };
}

/** The entries of the History screen's list. */
export function historyEntries(page: Page): Locator {
  return page.getByRole('list', { name: 'Calls, newest first' }).getByRole('listitem');
}

/** The entries of the Contacts screen's list. */
export function contactEntries(page: Page): Locator {
  return page.getByRole('list', { name: 'Contacts' }).getByRole('listitem');
}

/** On the Contacts screen: adds a contact through its form; returns the list's entries. */
export async function addContact(page: Page, name: string, address: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('textbox', { name: 'Number or SIP address', exact: true }).fill(address);
  await page.getByRole('button', { name: 'Save contact' }).click();
  return contactEntries(page);
}

/** Seconds shown by a `m:ss` / `h:mm:ss` call timer. */
export async function timerSeconds(timer: Locator): Promise<number> {
  const text = (await timer.textContent())?.trim() ?? '';
  const parts = text.split(':').map(Number);
  if (parts.length < 2 || parts.some((n) => !Number.isInteger(n))) {
    throw new Error(`the call timer shows "${text}", not m:ss`);
  }
  return parts.reduce((total, n) => total * 60 + n, 0);
}

/** One axe violation, as printed when the check fails. */
export interface AxeProblem {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: string[];
}

/** Runs axe on the whole page; returns its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeProblem[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map(
        (node) =>
          `${node.target.join(' ')}${node.failureSummary ? ` — ${node.failureSummary.replace(/\s+/g, ' ')}` : ''}`,
      ),
    }));
}

/** A readable list of violations for a failure message. */
export function describeViolations(problems: readonly AxeProblem[]): string {
  return problems
    .map((p) => `[${p.impact}] ${p.id}: ${p.help}\n${p.targets.map((t) => `    ${t}`).join('\n')}`)
    .join('\n');
}
