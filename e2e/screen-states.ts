/**
 * The screen states that e2e/accessibility.spec.ts checks with axe and e2e/screenshots.spec.ts
 * photographs, also passed through by e2e/softphone.spec.ts: Alice (page A) and Bob (page B) set up
 * their accounts on the real Kamailio, Alice calls Bob, Bob answers, Alice holds, the call ends, and
 * it is in the history; a contact is added and opened for editing.
 *
 * Each setter brings the pages to one state and waits until it is on screen; what to do with the
 * state (axe, a screenshot, more assertions) is the spec's own.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { KamailioServer } from '../test/kamailio/kamailio-server';
import { addContact, fillAccount, goTo, historyEntries, setUpAccount, type Phone } from './ui-helpers';

/** The account form with the SIP address "alice at ringlet" saved: its error is shown. */
export async function showAccountFormError(page: Page, server: string, password: string): Promise<void> {
  await fillAccount(page, { server, uri: 'alice at ringlet', password, displayName: 'Alice' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('The SIP address must look like sip:user@domain.')).toBeVisible();
}

/** A registers as Alice ("Alice"), B as bob, each through the account form. */
export async function registerAliceAndBob(
  a: Page,
  b: Page,
  server: KamailioServer,
  options: { readonly remember?: boolean } = {},
): Promise<void> {
  await Promise.all([
    setUpAccount(a, {
      // Different listeners: the call crosses Kamailio as calls between users do.
      server: server.wsUrls[0] ?? '',
      uri: `sip:alice@${server.domain}`,
      password: server.users['alice'] ?? '',
      displayName: 'Alice',
      ...options,
    }),
    setUpAccount(b, {
      server: server.wsUrls[1] ?? '',
      uri: `sip:bob@${server.domain}`,
      password: server.users['bob'] ?? '',
      ...options,
    }),
  ]);
}

/** Bob answers Alice's ringing call; returns Alice's call card once it says "Connected". */
export async function bobAnswers(pa: Phone, pb: Phone): Promise<Locator> {
  await pb.answer.click();
  const aCall = pa.inCall('bob');
  await expect(aCall).toContainText('Connected', { timeout: 10_000 });
  return aCall;
}

/** Alice holds the call; Bob's card says so. */
export async function aliceHolds(pa: Phone, pb: Phone): Promise<void> {
  await pa.hold.click();
  await expect(pb.inCall('Alice')).toContainText('Held by the other side', { timeout: 10_000 });
}

/** `by` hangs up: both phones show the dialpad again (`by`'s first). */
export async function hangUp(by: Phone, other: Phone): Promise<void> {
  await by.hangup.click();
  await expect(by.dialInput).toBeVisible({ timeout: 10_000 });
  await expect(other.dialInput).toBeVisible({ timeout: 10_000 });
}

/** The History screen with the one call made. */
export async function showHistoryWithOneCall(page: Page): Promise<void> {
  await goTo(page, 'History');
  await expect(historyEntries(page)).toHaveCount(1);
}

/** On the (empty) Contacts screen: adds Bob Builder and opens his edit form. */
export async function showContactEditForm(page: Page): Promise<void> {
  const contacts = await addContact(page, 'Bob Builder', 'sip:bob@ringlet.test');
  await expect(contacts).toHaveCount(1);
  await page.getByRole('button', { name: 'Edit Bob Builder' }).click();
  await expect(page.getByRole('form', { name: 'Edit contact' })).toBeVisible();
}
