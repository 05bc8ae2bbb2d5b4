import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  signInThroughUi,
  type TestBrowser,
} from '../../infra/local/testing/browser';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/**
 * The core flow through the SPA in Debian's Chromium. A SuperAdmin creates a tenant. Then a
 * User, set up through the API, signs in with the invitation's temporary password, sets a
 * new one and chats with a reply that streams in piece by piece.
 */

const ADMIN_EMAIL = 'admin@acme-e2e.test';
const USER_EMAIL = 'user@acme-e2e.test';
const TENANT_NAME = 'Acme E2E';
const ALLOCATED_CREDITS = 5000;
const PROMPT = 'Hello streaming world from the browser';

let stack: TestStack | undefined;
let browser: TestBrowser | undefined;
let page: Page;
let superAdmin: Session;
let tenantId: string;

/** Reads a stat card's figure, such as the Balance card's `5,000`, as a number. */
async function readStat(label: string): Promise<number> {
  const text = await page.getByRole('group', { name: label }).locator('dd').textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

describe('core flow in the browser', () => {
  beforeAll(async () => {
    stack = await startTestStack({ isWebEnabled: true });
    browser = await launchChromium();
    page = browser.page;
    page.setDefaultTimeout(15_000);
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
  }, 120_000);

  afterAll(async () => {
    await stack?.upstream.resetBehaviour().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('super admin creates a tenant', async () => {
    const testStack = stack as TestStack;
    const plan = await testStack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    expect(plan.status).toBe(201);

    await page.goto(testStack.info.webUrl as string);
    await signInThroughUi(
      page,
      testStack.info.superAdmin.email,
      testStack.info.superAdmin.password,
    );
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.getByRole('heading', { name: 'Tenants', exact: true }).waitFor();
    await page.getByLabel('Tenant name').fill(TENANT_NAME);
    await page.getByLabel('Plan').selectOption({ label: plan.body.name });
    await page.getByLabel('Admin email').fill(ADMIN_EMAIL);
    await page.getByLabel('Credit limit').fill('100000');
    await page.getByRole('button', { name: 'Create tenant' }).click();

    const row = page.getByRole('row', { name: new RegExp(TENANT_NAME) });
    await row.waitFor();
    expect(await row.textContent()).toContain(plan.body.name);
    const tenants = await testStack.api(superAdmin.idToken, 'GET', '/v1/tenants');
    const tenant = tenants.body.items.find((item: { name: string }) => item.name === TENANT_NAME);
    expect(tenant?.planId).toBe(plan.body.planId);
    tenantId = tenant.tenantId;
  }, 60_000);

  it('user chats with a streamed reply', async () => {
    const testStack = stack as TestStack;
    const admin = await testStack.acceptInvite(ADMIN_EMAIL, newPassword());
    const invited = await testStack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
      email: USER_EMAIL,
      role: 'User',
    });
    expect(invited.status).toBe(201);
    const grant = await testStack.api(
      superAdmin.idToken,
      'POST',
      `/v1/tenants/${tenantId}/grants`,
      {
        amount: 20_000,
        reason: 'Browser test',
      },
    );
    expect(grant.status).toBe(201);
    const allocation = await testStack.api(
      admin.idToken,
      'POST',
      `/v1/tenants/${tenantId}/users/${invited.body.userId}/credits`,
      { operation: 'allocate', amount: ALLOCATED_CREDITS },
    );
    expect(allocation.status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    const invitation = (await testStack.readOutbox(USER_EMAIL)).at(-1);
    expect(invitation?.temporaryPassword).toBeTruthy();
    // Typed with spaces and capitals: the SPA trims and lower-cases the email.
    await signInThroughUi(
      page,
      ` ${USER_EMAIL.toUpperCase()} `,
      invitation?.temporaryPassword ?? '',
    );
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    const password = newPassword();
    await page.getByLabel(/^New password/).fill(password);
    await page.getByLabel('Confirm new password').fill(password);
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await page.getByRole('heading', { name: 'Chat', exact: true }).waitFor();
    await expect.poll(() => readStat('Balance')).toBe(ALLOCATED_CREDITS);

    // The upstream sends the first piece and then waits, so a visible first piece while the
    // rest is missing shows that the SPA renders the reply as it arrives.
    await testStack.upstream.setBehaviour({
      mode: 'normal',
      holdAfterFirstChunk: true,
      match: { path: '/v1/chat/completions' },
    });
    try {
      await page.getByRole('textbox', { name: 'Message' }).fill(PROMPT);
      await page.getByRole('button', { name: 'Send' }).click();

      const reply = page.getByRole('article', { name: 'Reply' });
      await expect.poll(async () => (await reply.textContent())?.trim()).toBe('Echo:');
      expect(await reply.getAttribute('aria-busy')).toBe('true');
      expect(await page.getByLabel('Receipt').count()).toBe(0);

      // The conversation, and the reply still streaming, survive a visit to another page.
      await page.getByRole('link', { name: 'Balance' }).click();
      await page.getByRole('heading', { name: 'Balance', exact: true }).waitFor();
      await page.getByRole('link', { name: 'Chat' }).click();
      await page.getByRole('heading', { name: 'Chat', exact: true }).waitFor();
      expect(
        (await page.getByRole('article', { name: 'Your message' }).textContent())?.trim(),
      ).toBe(PROMPT);
      expect(await reply.getAttribute('aria-busy')).toBe('true');

      expect(await testStack.upstream.releaseHeld()).toBe(1);
      await expect.poll(async () => (await reply.textContent())?.trim()).toBe(`Echo: ${PROMPT}`);
      await expect.poll(() => reply.getAttribute('aria-busy')).toBe('false');
    } finally {
      await testStack.upstream.resetBehaviour();
    }

    const receipt = page.getByLabel('Receipt');
    await receipt.waitFor();
    expect(await receipt.textContent()).toMatch(/^Cost \d+ credits?·Balance [\d,]+$/);
    await expect.poll(() => readStat('Balance')).toBeLessThan(ALLOCATED_CREDITS);
  }, 60_000);

  it('session survives a reload until sign-out', async () => {
    const balance = await readStat('Balance');

    await page.reload();
    await page.getByRole('heading', { name: 'Chat', exact: true }).waitFor();

    await expect.poll(() => readStat('Balance')).toBe(balance);
    expect(await page.evaluate(() => Object.keys(window.localStorage))).toEqual([]);
    expect(await page.evaluate(() => Object.keys(window.sessionStorage))).toEqual([
      'creditgate.refreshToken',
    ]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => Object.keys(window.sessionStorage))).toEqual([]);
  }, 60_000);
});
