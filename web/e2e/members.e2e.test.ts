import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  setNewPasswordThroughUi,
  signInThroughUi,
  signOutThroughUi,
  type TestBrowser,
} from '../../infra/local/testing/browser';
import {
  newPassword,
  type OutboxEmail,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/**
 * The member lifecycle through the SPA in Debian's Chromium. A TenantAdmin, set up through
 * the API, invites, resends, disables and enables, changes roles, deletes and bulk-invites
 * in the browser and reads the audit log. Then an invitee accepts through `/accept-invite`,
 * resets the password through `/forgot-password`, and signs out.
 */

const TENANT_NAME = 'Members E2E';
const ADMIN_EMAIL = 'admin@members-e2e.test';
const INVITEE_EMAIL = 'invitee@members-e2e.test';
const WORKER_EMAIL = 'worker@members-e2e.test';
const BULK_USER_EMAIL = 'bulk.user@members-e2e.test';
const BULK_ADMIN_EMAIL = 'bulk.admin@members-e2e.test';
const SEAT_LIMIT = 10;
const WORKER_CREDITS = 1500;
const LAST_ADMIN_MESSAGE = 'A tenant must keep at least one TenantAdmin who can sign in';

let stack: TestStack | undefined;
let browser: TestBrowser | undefined;
let page: Page;
let tenantId: string;
let admin: Session;
let worker: Session;

/** An outbox email with the password reset code that the local stack adds. */
type ResetEmail = OutboxEmail & { code?: string };

function testStack(): TestStack {
  if (!stack) throw new Error('The test stack did not start');
  return stack;
}

/** Returns the row of the users table that shows `email`. */
function userRow(email: string): Locator {
  return page
    .getByRole('table', { name: 'Users' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: new RegExp(`^${escapeRegExp(email)}`) }) });
}

/** Opens the row's "Actions" menu and chooses `item`. */
async function chooseAction(email: string, item: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${email}` }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** Reads a stat card's figure, such as the Pool balance card's `18,500`, as text. */
async function readStatText(label: string): Promise<string> {
  return (await page.getByRole('group', { name: label }).locator('dd').textContent()) ?? '';
}

async function readStat(label: string): Promise<number> {
  return Number((await readStatText(label)).replace(/[^\d]/g, ''));
}

async function findUser(email: string) {
  const users = await testStack().api(admin.idToken, 'GET', `/v1/tenants/${tenantId}/users`);
  return users.body.items.find((user: { email: string }) => user.email === email);
}

/** Waits up to 5 s for a password reset email, which the stack writes after Cognito logs it. */
async function waitForResetEmail(email: string): Promise<ResetEmail> {
  const deadline = Date.now() + 5_000;
  for (let attempt = 0; attempt < 100 && Date.now() < deadline; attempt += 1) {
    const reset = (await testStack().readOutbox(email)).find((message) =>
      message.subject.includes('password reset'),
    );
    if (reset) return reset;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`No password reset email for ${email} within 5 s`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('member lifecycle in the browser', () => {
  beforeAll(async () => {
    stack = await startTestStack({ isWebEnabled: true });
    browser = await launchChromium();
    page = browser.page;
    page.setDefaultTimeout(15_000);

    const superAdmin = await stack.signIn(
      stack.info.superAdmin.email,
      stack.info.superAdmin.password,
    );
    const plan = await stack.api(
      superAdmin.idToken,
      'POST',
      '/v1/plans',
      planInput({ seatLimit: SEAT_LIMIT }),
    );
    expect(plan.status).toBe(201);
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: TENANT_NAME,
      planId: plan.body.planId,
      adminEmail: ADMIN_EMAIL,
      creditLimit: 100_000,
    });
    expect(tenant.status).toBe(201);
    tenantId = tenant.body.tenantId;
    const grant = await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
      amount: 20_000,
      reason: 'Browser test',
    });
    expect(grant.status).toBe(201);

    const adminPassword = newPassword();
    admin = await stack.acceptInvite(ADMIN_EMAIL, adminPassword);
    // A deep link survives the sign-in: the admin lands on the users page, not on the home.
    await page.goto(new URL('/users', stack.info.webUrl as string).href);
    await signInThroughUi(page, ADMIN_EMAIL, adminPassword);
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  describe('tenant admin', () => {
    it('invites a user who shows as invited', async () => {
      const startedAt = Date.now();

      await page.getByLabel('Email').fill(INVITEE_EMAIL);
      await page.getByRole('button', { name: 'Send invitation' }).click();

      const row = userRow(INVITEE_EMAIL);
      await row.waitFor();
      expect(await row.textContent()).toContain('invited');
      const sentAt = Date.parse((await row.locator('time').getAttribute('datetime')) ?? '');
      expect(sentAt).toBeGreaterThanOrEqual(startedAt - 5_000);
      expect(sentAt).toBeLessThanOrEqual(Date.now());
      await expect.poll(() => readStatText('Seats')).toBe(`2 / ${SEAT_LIMIT}`);
      expect(await testStack().readOutbox(INVITEE_EMAIL)).toHaveLength(1);
    }, 60_000);

    it('resends an invitation', async () => {
      const [first] = await testStack().readOutbox(INVITEE_EMAIL);

      await chooseAction(INVITEE_EMAIL, 'Resend invitation');

      await page.getByText(`Invitation sent again to ${INVITEE_EMAIL}`).waitFor();
      const emails = await testStack().readOutbox(INVITEE_EMAIL);
      expect(emails).toHaveLength(2);
      expect(emails[1]?.temporaryPassword).toBeTruthy();
      expect(emails[1]?.temporaryPassword).not.toBe(first?.temporaryPassword);
      const invitedAt = (await findUser(INVITEE_EMAIL)).invitedAt;
      expect(await userRow(INVITEE_EMAIL).locator('time').getAttribute('datetime')).toBe(invitedAt);
    }, 60_000);

    it('disables and enables a user who signed in', async () => {
      const invited = await testStack().api(
        admin.idToken,
        'POST',
        `/v1/tenants/${tenantId}/users`,
        {
          email: WORKER_EMAIL,
          role: 'User',
        },
      );
      expect(invited.status).toBe(201);
      worker = await testStack().acceptInvite(WORKER_EMAIL, newPassword());
      await page.reload();
      const row = userRow(WORKER_EMAIL);
      await expect.poll(() => row.textContent()).toContain('active');

      await chooseAction(WORKER_EMAIL, 'Disable');

      await expect.poll(() => row.textContent()).toContain('disabled');
      const refused = await testStack().api(worker.idToken, 'GET', '/v1/me');
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('ACCOUNT_DISABLED');

      await chooseAction(WORKER_EMAIL, 'Enable');

      await expect.poll(() => row.textContent()).toContain('active');
      expect((await testStack().api(worker.idToken, 'GET', '/v1/me')).status).toBe(200);
    }, 60_000);

    it('keeps the last admin and shows why', async () => {
      await chooseAction(ADMIN_EMAIL, 'Make user');

      const dialog = page.getByRole('alertdialog', { name: 'Give up your admin role?' });
      await dialog.getByRole('button', { name: 'Make me a user' }).click();

      await expect.poll(() => dialog.getByRole('alert').textContent()).toBe(LAST_ADMIN_MESSAGE);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await userRow(ADMIN_EMAIL).textContent()).toContain('Tenant admin');
      expect((await findUser(ADMIN_EMAIL)).role).toBe('TenantAdmin');
    }, 60_000);

    it('changes a role both ways', async () => {
      const row = userRow(WORKER_EMAIL);

      await chooseAction(WORKER_EMAIL, 'Make tenant admin');

      await expect.poll(() => row.textContent()).toContain('Tenant admin');
      expect((await findUser(WORKER_EMAIL)).role).toBe('TenantAdmin');

      await chooseAction(WORKER_EMAIL, 'Make user');

      await expect.poll(() => row.getByRole('cell').nth(1).textContent()).toBe('User');
      expect((await findUser(WORKER_EMAIL)).role).toBe('User');
    }, 60_000);

    it('deletes a user after confirming and the pool grows', async () => {
      const workerId = (await findUser(WORKER_EMAIL)).userId;
      const allocation = await testStack().api(
        admin.idToken,
        'POST',
        `/v1/tenants/${tenantId}/users/${workerId}/credits`,
        { operation: 'allocate', amount: WORKER_CREDITS },
      );
      expect(allocation.status).toBe(200);
      await page.reload();
      await expect.poll(() => userRow(WORKER_EMAIL).textContent()).toContain('1,500');
      // Read the pool from the API, then wait for the page to show it: the cards load on
      // their own, so reading them right after the reload can see an earlier value.
      const credits = await testStack().api(
        admin.idToken,
        'GET',
        `/v1/tenants/${tenantId}/credits`,
      );
      const poolBefore: number = credits.body.poolBalance;
      await expect.poll(() => readStat('Pool balance')).toBe(poolBefore);
      await expect.poll(() => readStatText('Seats')).toBe(`3 / ${SEAT_LIMIT}`);

      await chooseAction(WORKER_EMAIL, 'Delete user');
      const dialog = page.getByRole('alertdialog', { name: 'Delete user?' });
      expect(await dialog.textContent()).toContain(
        'Their unspent credits (1,500 credits) return to the pool.',
      );
      await dialog.getByRole('button', { name: 'Delete user' }).click();

      await dialog.waitFor({ state: 'hidden' });
      await userRow(WORKER_EMAIL).waitFor({ state: 'detached' });
      await expect.poll(() => readStat('Pool balance')).toBe(poolBefore + WORKER_CREDITS);
      await expect.poll(() => readStatText('Seats')).toBe(`2 / ${SEAT_LIMIT}`);
      // A deleted user's token no longer authenticates at all.
      expect((await testStack().api(worker.idToken, 'GET', '/v1/me')).status).toBe(401);
    }, 60_000);

    it('bulk-invites from pasted CSV', async () => {
      await page.getByRole('button', { name: 'Bulk invite' }).click();
      const dialog = page.getByRole('dialog', { name: 'Invite several users' });
      const lines = [
        'email,role',
        `${BULK_USER_EMAIL},User`,
        `${BULK_ADMIN_EMAIL},TenantAdmin`,
        INVITEE_EMAIL,
      ];
      const textbox = dialog.getByRole('textbox', { name: 'Users' });
      // A malformed line stops the whole list before anything is sent.
      await textbox.fill([...lines, 'not-an-email'].join('\n'));
      await dialog.getByRole('button', { name: 'Send invitations' }).click();
      await dialog
        .getByText('Line 5: "not-an-email" is not an email address.', { exact: false })
        .waitFor();
      await textbox.fill(lines.join('\n'));
      await dialog.getByRole('button', { name: 'Send invitations' }).click();

      const results = page.getByRole('table', { name: 'Bulk invitation results' });
      await results.waitFor();
      const rows = results.getByRole('row');
      await expect.poll(() => rows.count()).toBe(4);
      expect(await rows.nth(1).textContent()).toBe(`${BULK_USER_EMAIL}Invited`);
      expect(await rows.nth(2).textContent()).toBe(`${BULK_ADMIN_EMAIL}Invited`);
      expect(await rows.nth(3).textContent()).toMatch(
        new RegExp(`^${escapeRegExp(INVITEE_EMAIL)}Already exists`),
      );
      await page.getByRole('button', { name: 'Done' }).click();

      await expect.poll(() => userRow(BULK_USER_EMAIL).textContent()).toContain('invited');
      await expect.poll(() => userRow(BULK_ADMIN_EMAIL).textContent()).toContain('Tenant admin');
      await expect.poll(() => readStatText('Seats')).toBe(`4 / ${SEAT_LIMIT}`);
    }, 60_000);

    it('reads the audit log with a filter', async () => {
      await page.getByRole('link', { name: 'Audit log' }).click();
      const log = page.getByRole('table', { name: 'Audit log' });
      await log.waitFor();
      const firstRow = log.getByRole('row').nth(1);
      expect(await firstRow.textContent()).toContain('User invited');
      expect(await log.textContent()).toContain('Invitation resent');

      await page.getByLabel('Action', { exact: true }).selectOption({ label: 'User deleted' });

      await expect.poll(() => log.getByRole('row').count()).toBe(2);
      expect(await firstRow.textContent()).toContain(WORKER_EMAIL);
      await page.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    }, 60_000);
  });

  describe('invitee', () => {
    it('accepts an invitation through the link', async () => {
      await signOutThroughUi(page);
      const invitation = (await testStack().readOutbox(BULK_USER_EMAIL)).at(-1);
      expect(invitation?.temporaryPassword).toBeTruthy();

      await page.goto(
        `${testStack().info.webUrl}/accept-invite?email=${encodeURIComponent(BULK_USER_EMAIL)}`,
      );
      await page.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
      expect(await page.getByRole('textbox', { name: 'Email' }).inputValue()).toBe(BULK_USER_EMAIL);
      await page.getByLabel('Temporary password').fill(invitation?.temporaryPassword ?? '');
      await page.getByRole('button', { name: 'Continue' }).click();
      await setNewPasswordThroughUi(page, newPassword());

      await page.getByRole('heading', { name: 'Chat', exact: true }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/chat');
      expect((await findUser(BULK_USER_EMAIL)).status).toBe('ACTIVE');
    }, 60_000);

    it('resets a forgotten password and signs in with it', async () => {
      await signOutThroughUi(page);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await page.getByRole('textbox', { name: 'Email' }).fill(BULK_USER_EMAIL);
      await page.getByRole('button', { name: 'Send reset code' }).click();
      await page.getByLabel('Verification code').waitFor();

      const reset = await waitForResetEmail(BULK_USER_EMAIL);
      expect(reset.code).toMatch(/^\d{6}$/);
      const password = newPassword();
      await page.getByLabel('Verification code').fill(reset.code ?? '');
      await page.getByLabel(/^New password/).fill(password);
      await page.getByLabel('Confirm new password').fill(password);
      await page.getByRole('button', { name: 'Reset password' }).click();

      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page
        .getByText('Your password has been reset. Sign in with your new password.')
        .waitFor();
      expect(await page.getByRole('textbox', { name: 'Email' }).inputValue()).toBe(BULK_USER_EMAIL);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Chat', exact: true }).waitFor();
    }, 60_000);

    it('signs out and leaves no session behind', async () => {
      await signOutThroughUi(page);

      expect(await page.evaluate(() => Object.keys(window.sessionStorage))).toEqual([]);
      expect(await page.evaluate(() => Object.keys(window.localStorage))).toEqual([]);
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    }, 60_000);
  });
});
