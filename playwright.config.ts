/**
 * End-to-end tests: Debian's Chromium (/usr/bin/chromium, installed by `npm run setup:test`)
 * against the app served by Vite on 127.0.0.1. Playwright's own browser download is not used
 * (`npx playwright install` cannot reach its servers).
 *
 * Run through `npm run test:e2e` (scripts/run-e2e.mjs), which also picks a free port and writes
 * test-results/e2e-summary.json. RINGLET_E2E_PORT overrides the port (default 4173).
 */
import { defineConfig } from '@playwright/test';

const port = Number(process.env['RINGLET_E2E_PORT'] ?? 4173);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  // Only *.spec.ts are tests; fixtures and helpers live beside them.
  testMatch: '**/*.spec.ts',
  // One browser at a time: the machine has 2 cores shared with Vite and Kamailio.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: Boolean(process.env['CI']),
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  // A subfolder: Playwright empties outputDir at start, and test-results/ also holds other suites' summaries.
  outputDir: 'test-results/e2e',
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // getUserMedia without a prompt, fed by a synthetic camera and microphone.
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        // Two tabs on this machine must reach each other over loopback ICE candidates.
        '--allow-loopback-in-peer-connection',
      ],
    },
  },
  webServer: {
    command: `npx vite --host 127.0.0.1 --port ${port} --strictPort`,
    url: baseURL,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
