/**
 * The root config's `test.include` does not cover bench/, so the bench's own unit tests run with
 * `npx vitest run -c bench/size/vitest.config.ts`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: { include: ['bench/size/**/*.test.ts'], environment: 'node' },
});
