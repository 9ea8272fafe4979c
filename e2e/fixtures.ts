/**
 * Shared Playwright fixtures. `pbx` is a real Kamailio (test/kamailio) started once per worker,
 * only by tests that ask for it, and stopped when the worker ends.
 */
import { test as base } from '@playwright/test';
import { startKamailio, type KamailioServer } from '../test/kamailio/kamailio-server';

export interface WorkerFixtures {
  pbx: KamailioServer;
}

export const test = base.extend<object, WorkerFixtures>({
  pbx: [
    // Playwright requires an object pattern here, even when the fixture needs nothing.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startKamailio();
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 30_000 },
  ],
});

export { expect } from '@playwright/test';
