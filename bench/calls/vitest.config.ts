/**
 * The root config's `test.include` does not cover bench/, so the call bench's unit tests run with
 * `npx vitest run -c bench/calls/vitest.config.ts`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: { include: ['bench/calls/**/*.test.ts'], environment: 'node' },
});
