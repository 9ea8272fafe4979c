#!/usr/bin/env node
/**
 * Runs the Playwright suite (playwright.config.ts) and passes its exit code through.
 *
 * - Picks a free port on 127.0.0.1 for the Vite server (RINGLET_E2E_PORT), so two runs on one
 *   machine do not collide; set RINGLET_E2E_PORT yourself to force one.
 * - The list reporter prints to stdout; the JSON reporter writes test-results/e2e-report.json,
 *   from which this script writes test-results/e2e-summary.json:
 *     { "passed": n, "failed": n, "skipped": n }
 *   `failed` also counts errors outside any test (e.g. the web server did not start), so a
 *   broken run never reads as green.
 * - Extra arguments go to `playwright test` (e.g. `npm run test:e2e -- e2e/app-loads.spec.ts`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'test-results');
const reportFile = join(resultsDir, 'e2e-report.json');
const summaryFile = join(resultsDir, 'e2e-summary.json');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function runPlaywright(env) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['playwright', 'test', ...process.argv.slice(2)], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`run-e2e: cannot start playwright: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function summarize() {
  if (!existsSync(reportFile)) {
    return { summary: { passed: 0, failed: 1, skipped: 0 }, note: 'no JSON report was written' };
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const stats = report.stats ?? {};
  const errors = Array.isArray(report.errors) ? report.errors.length : 0;
  const summary = {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: (stats.unexpected ?? 0) + errors,
    skipped: stats.skipped ?? 0,
  };
  return { summary, note: errors > 0 ? `${errors} error(s) outside tests` : undefined };
}

mkdirSync(resultsDir, { recursive: true });
rmSync(reportFile, { force: true });
rmSync(summaryFile, { force: true });

const env = { ...process.env };
if (!env.RINGLET_E2E_PORT) env.RINGLET_E2E_PORT = String(await freePort());
if (!existsSync(env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  console.error('run-e2e: /usr/bin/chromium is missing. Run `npm run setup:test` first.');
}

let code = await runPlaywright(env);
const { summary, note } = summarize();
writeFileSync(summaryFile, `${JSON.stringify(summary)}\n`);
if (note) console.error(`run-e2e: ${note}`);
console.log(`e2e: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
// A run that executed no test is not a success.
if (code === 0 && summary.passed + summary.failed === 0) {
  console.error('run-e2e: no test ran');
  code = 1;
}
process.exit(code);
