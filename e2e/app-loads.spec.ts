/** Smoke test: the standalone page boots into the softphone shell (src/main.tsx → src/ui/App.tsx). */
import { expect, test } from './fixtures';

test('shows the Ringlet shell: heading, status, navigation between the screens', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto('/');

  await expect(page.getByRole('heading', { level: 1, name: 'Ringlet' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Phone', 'History', 'Contacts', 'Settings', 'Account']) {
    await expect(nav.getByRole('button', { name })).toBeVisible();
  }
  // A newcomer starts on the account form, prefilled for the built-in dev exchange.
  await expect(page.getByRole('heading', { level: 2, name: 'Account' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Server 1' })).toHaveValue('ws://127.0.0.1:5062');
  await expect(page.getByText('No account set up')).toBeVisible();

  await nav.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'History' })).toBeFocused();
  await expect(nav.getByRole('button', { name: 'History' })).toHaveAttribute('aria-current', 'page');

  expect(errors).toEqual([]);
});

test('an invalid ?user= is ignored with a visible note', async ({ page }) => {
  await page.goto('/?user=Not%20Valid');
  await expect(page.getByText(/The user name “Not Valid” in the page address was ignored/)).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'SIP address', exact: true })).toHaveValue('');
});
