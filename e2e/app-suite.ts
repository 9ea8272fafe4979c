/**
 * What the softphone-UI specs share: one Kamailio per file started beside a warmed-up app, and after
 * each test the Kamailio log and page screenshots attached on failure, every context closed, and no
 * page error allowed.
 */
import { expect, test } from '@playwright/test';
import { startKamailio, type KamailioServer } from '../test/kamailio/kamailio-server';
import { warmUpApp, type AppPage } from './ui-helpers';

export interface AppSuite {
  /** The running Kamailio. @throws Error when beforeAll could not start it. */
  server(): KamailioServer;
  /** Tracks opened app pages, so the after-each checks cover them. */
  track(...pages: AppPage[]): void;
}

/** Registers the suite's hooks; call once at the top of a spec file. */
export function appSuite(): AppSuite {
  let pbx: KamailioServer | undefined;
  let opened: AppPage[] = [];

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    const baseURL = test.info().project.use.baseURL;
    if (!baseURL) throw new Error('playwright.config.ts sets no baseURL');
    [pbx] = await Promise.all([startKamailio(), warmUpApp(browser, baseURL)]);
  });

  test.afterAll(async () => {
    await pbx?.stop();
  });

  // Playwright requires an object pattern here, even when the hook needs no fixture.
  // eslint-disable-next-line no-empty-pattern
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('kamailio-log', { body: pbx?.readLog() ?? '', contentType: 'text/plain' });
      for (const app of opened) {
        await testInfo.attach(`${app.label}.png`, {
          body: await app.page.screenshot({ fullPage: true }),
          contentType: 'image/png',
        });
      }
    }
    const errors = opened.flatMap((app) => app.errors);
    await Promise.all(opened.map((app) => app.context.close()));
    opened = [];
    // Nothing the app does may escape as an uncaught exception or rejection.
    expect(errors).toEqual([]);
  });

  return {
    server: () => {
      if (!pbx) throw new Error('Kamailio did not start (see beforeAll)');
      return pbx;
    },
    track: (...pages) => void opened.push(...pages),
  };
}
