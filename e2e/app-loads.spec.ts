/** Smoke test: the standalone page boots and the SIP core runs in the browser (src/main.ts). */
import { expect, test } from './fixtures';

test('shows the Ringlet heading and reports that the SIP core loaded', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto('/');

  await expect(page.getByRole('heading', { level: 1, name: 'Ringlet' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/^SIP core loaded: parsed an? OPTIONS message\.$/);
  expect(errors).toEqual([]);
});
