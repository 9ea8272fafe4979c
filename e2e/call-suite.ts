/**
 * What every call spec shares: one Kamailio per file started beside a warmed-up harness, and after
 * each test the diagnostics of a failure attached, every context closed, and no page error allowed.
 */
import { expect, test, type Browser } from '@playwright/test';
import { startKamailio, type KamailioServer } from '../test/kamailio/kamailio-server';
import { openCallPage, warmUpCallHarness, type CallPage, type DtmfMode } from './harness/call-harness';

export interface PhoneOptions {
  /** Which of Kamailio's two listeners the page connects to. */
  readonly listener?: 0 | 1;
  readonly stun?: string;
  readonly dtmf?: DtmfMode;
  readonly name?: string;
}

export interface CallSuite {
  /** The running Kamailio. @throws Error when beforeAll could not start it. */
  server(): KamailioServer;
  /** Opens a harness page as `user` in a fresh context and waits until it is registered. */
  openPhone(browser: Browser, label: string, user: string, options?: PhoneOptions): Promise<CallPage>;
  /** Tracks a page opened another way, so the after-each checks cover it. */
  track(phone: CallPage): void;
}

/** Registers the suite's hooks; call once at the top of a spec file. */
export function callSuite(): CallSuite {
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
    // Nothing the harness or the phone does may escape as an uncaught exception or rejection.
    expect(errors).toEqual([]);
  });

  const server = (): KamailioServer => {
    if (!pbx) throw new Error('Kamailio did not start (see beforeAll)');
    return pbx;
  };

  return {
    server,
    track: (phone) => void opened.push(phone),
    async openPhone(browser, label, user, options = {}) {
      const baseURL = test.info().project.use.baseURL;
      if (!baseURL) throw new Error('playwright.config.ts sets no baseURL');
      const pbxNow = server();
      const phone = await openCallPage(browser, baseURL, label, {
        ws: pbxNow.wsUrls[options.listener ?? 0],
        uri: `sip:${user}@${pbxNow.domain}`,
        password: pbxNow.users[user],
        stun: options.stun,
        dtmf: options.dtmf,
        name: options.name,
      });
      opened.push(phone);
      await expect(phone.registration).toHaveText(/^registered \(expires \d+\)$/, { timeout: 10_000 });
      return phone;
    },
  };
}
