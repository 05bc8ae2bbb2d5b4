import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  launchChromium,
  setNewPasswordThroughUi,
  signInThroughUi,
  signOutThroughUi,
  type TestBrowser,
} from '../../infra/local/testing/browser';
import { newPassword, startTestStack, type TestStack } from '../../infra/local/testing/test-stack';

/**
 * The three consoles through the SPA in Debian's Chromium, every step through the UI: a
 * SuperAdmin creates a plan and a tenant and grants credits; the invited TenantAdmin accepts
 * the invitation from the outbox, invites a User and allocates credits; the User chats with
 * a streamed reply and sees the balance fall; the TenantAdmin sees the usage. Every page
 * passes an axe check in light and dark mode and is saved as a screenshot in
 * `web/e2e/screenshots/` (gitignored).
 */

const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const PLAN_NAME = 'Consoles Team';
const TENANT_NAME = 'Consoles E2E';
const ADMIN_EMAIL = 'admin@consoles-e2e.test';
const USER_EMAIL = 'user@consoles-e2e.test';
const GRANTED_CREDITS = 50_000;
const ALLOCATED_CREDITS = 5_000;
const PROMPT = 'Hello from the consoles test';
/** axe impacts that fail the test. Moderate and minor findings are left to review. */
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

let stack: TestStack | undefined;
let browser: TestBrowser | undefined;
let page: Page;
let adminPassword: string;
/** axe findings of the pages the running test reviewed, checked at the end of each test. */
let axeFindings: string[] = [];
let userPassword: string;

function testStack(): TestStack {
  if (!stack) throw new Error('The test stack did not start');
  return stack;
}

function urlOf(path: string): string {
  return new URL(path, testStack().info.webUrl as string).href;
}

/** Opens a page through the main navigation and waits for its heading. */
async function openFromNavigation(label: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}

/** Reads a stat card's figure, such as the Balance card's `5,000`, as a number. */
async function readStat(label: string): Promise<number> {
  const text = await page.getByRole('group', { name: label }).locator('dd').textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

/** Waits until no skeleton or spinner shows that the page is loading. */
async function waitForLoaded(): Promise<void> {
  await expect
    .poll(() => page.locator('[role="status"][aria-label^="Loading"]').count(), { timeout: 15_000 })
    .toBe(0);
}

async function setColorScheme(scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.waitForFunction(
    (expected) => document.documentElement.classList.contains(expected),
    scheme,
  );
}

/** Returns the serious and critical axe violations on the page, one line each. */
async function findAxeViolations(): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((violation) => BLOCKING_IMPACTS.has(violation.impact ?? ''))
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}

/**
 * Checks the open page with axe in light and dark mode and saves three screenshots: light,
 * dark, and light at 375 px wide after a reload, which also shows that the page's deep link
 * survives a reload. The axe findings are checked when the test ends, so one run lists
 * those of every page.
 */
async function reviewPage(name: string): Promise<void> {
  await waitForLoaded();
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  axeFindings.push(...(await findAxeViolations()).map((line) => `${name}, light: ${line}`));

  await setColorScheme('dark');
  try {
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-dark.png`), fullPage: true });
    axeFindings.push(...(await findAxeViolations()).map((line) => `${name}, dark: ${line}`));
  } finally {
    await setColorScheme('light');
  }

  // The narrow view is loaded afresh, as a phone would open the deep link, so toasts and
  // dialogs left from the desktop steps do not change the layout.
  const heading = (await page.getByRole('heading', { level: 1 }).first().textContent()) ?? '';
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 812 });
  try {
    await page.reload();
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
    await waitForLoaded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-375px.png`), fullPage: true });
    expect(await findWideElements(), `${name} is wider than 375 px`).toEqual([]);
  } finally {
    if (viewport) await page.setViewportSize(viewport);
  }
}

/**
 * Returns the elements that stick out past the right edge of the viewport, outermost first,
 * skipping those inside a scroll container that clips them (such as a scrolling table).
 */
async function findWideElements(): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const isClipped = (element: Element): boolean => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const overflowX = getComputedStyle(parent).overflowX;
        if (overflowX === 'auto' || overflowX === 'scroll' || overflowX === 'hidden') return true;
      }
      return false;
    };
    const wide = [...document.body.querySelectorAll('*')]
      .filter((element) => element.getBoundingClientRect().right > width + 1 && !isClipped(element))
      .slice(0, 3)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`.slice(0, 120));
    return wide.length > 0 ? wide : [`the document, ${document.documentElement.scrollWidth} px`];
  });
}

function tableRow(table: string, text: string): Locator {
  return page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });
}

describe('consoles in the browser', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    stack = await startTestStack({ isWebEnabled: true });
    browser = await launchChromium({
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
    });
    page = browser.page;
    page.setDefaultTimeout(20_000);
  }, 180_000);

  afterAll(async () => {
    await stack?.upstream.resetBehaviour().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  beforeEach(() => {
    axeFindings = [];
  });

  afterEach(() => {
    expect(axeFindings, 'serious or critical axe findings').toEqual([]);
  });

  it('sign-in pages pass axe', async () => {
    await page.goto(urlOf('/'));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await reviewPage('sign-in');
    await page.goto(urlOf('/accept-invite'));
    await page.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
    await reviewPage('accept-invite');
    await page.goto(urlOf('/forgot-password'));
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await reviewPage('forgot-password');
  }, 120_000);

  it('super admin creates a plan and a tenant', async () => {
    const { superAdmin } = testStack().info;
    await page.goto(urlOf('/'));
    await signInThroughUi(page, superAdmin.email, superAdmin.password);
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await reviewPage('super-admin-overview');

    await openFromNavigation('Plans', 'Plans');
    await page.getByRole('button', { name: 'New plan' }).click();
    const planDialog = page.getByRole('dialog', { name: 'New plan' });
    await planDialog.getByLabel('Plan name').fill(PLAN_NAME);
    await planDialog.getByLabel('Seats').fill('5');
    await planDialog
      .locator('label')
      .filter({ hasText: /^gpt-4o-mini$/ })
      .click();
    await planDialog.getByRole('button', { name: 'Create plan' }).click();
    const planRow = tableRow('Plans', PLAN_NAME);
    await planRow.waitFor();
    await planDialog.waitFor({ state: 'hidden' });

    await planRow.getByRole('button', { name: `Edit plan ${PLAN_NAME}` }).click();
    const editDialog = page.getByRole('dialog', { name: `Edit plan ${PLAN_NAME}` });
    await editDialog.getByLabel('Seats').fill('6');
    await editDialog.getByRole('button', { name: 'Save plan' }).click();
    await editDialog.waitFor({ state: 'hidden' });
    await expect.poll(() => planRow.getByRole('cell').nth(2).textContent()).toBe('6');

    await page.getByRole('button', { name: 'New plan' }).click();
    await planDialog.getByLabel('Plan name').fill('Throwaway');
    await planDialog
      .locator('label')
      .filter({ hasText: /^gpt-4o-mini$/ })
      .click();
    await planDialog.getByRole('button', { name: 'Create plan' }).click();
    const throwawayRow = tableRow('Plans', 'Throwaway');
    await throwawayRow.getByRole('button', { name: 'Delete plan Throwaway' }).click();
    const confirmDelete = page.getByRole('alertdialog', { name: 'Delete plan Throwaway?' });
    await confirmDelete.getByRole('button', { name: 'Delete plan' }).click();
    // While the dialog is open it hides the table from role queries, so the row counts as
    // gone only once the dialog has closed.
    await confirmDelete.waitFor({ state: 'hidden' });
    await throwawayRow.waitFor({ state: 'detached' });
    await reviewPage('super-admin-plans');

    await openFromNavigation('Prices', 'Prices');
    await page.getByRole('table', { name: 'Prices' }).waitFor();
    await reviewPage('super-admin-prices');

    await openFromNavigation('AI key', 'Platform AI key');
    await page.getByText('Last rotation').waitFor();
    await reviewPage('super-admin-ai-key');
    await page.getByRole('button', { name: 'Rotate now' }).click();
    const confirmRotation = page.getByRole('alertdialog', { name: 'Rotate the platform key now?' });
    await confirmRotation.getByRole('button', { name: 'Rotate now' }).click();
    await page.getByText('Rotation started').waitFor();
    await confirmRotation.waitFor({ state: 'hidden' });

    await openFromNavigation('Tenants', 'Tenants');
    await page.getByLabel('Tenant name').fill(TENANT_NAME);
    await page.getByLabel('Plan').selectOption({ label: PLAN_NAME });
    await page.getByLabel('Admin email').fill(ADMIN_EMAIL);
    await page.getByLabel('Credit limit').fill('1000000');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const tenantRow = tableRow('Tenants', TENANT_NAME);
    await tenantRow.waitFor();

    await tenantRow.getByRole('button', { name: `Grant credits to ${TENANT_NAME}` }).click();
    const grantDialog = page.getByRole('dialog', { name: `Grant credits to ${TENANT_NAME}` });
    await grantDialog.getByLabel('Amount').fill(String(GRANTED_CREDITS));
    await grantDialog.getByLabel('Reason').fill('Browser test');
    await grantDialog.getByRole('button', { name: 'Grant', exact: true }).click();
    await grantDialog.waitFor({ state: 'hidden' });
    await expect.poll(() => tenantRow.textContent()).toContain('50,000');

    await tenantRow.getByRole('button', { name: `Edit tenant ${TENANT_NAME}` }).click();
    const editTenant = page.getByRole('dialog', { name: `Edit ${TENANT_NAME}` });
    await editTenant.getByLabel('Credit limit').fill('2,000,000');
    await editTenant.getByRole('button', { name: 'Save' }).click();
    await editTenant.waitFor({ state: 'hidden' });
    await expect.poll(() => tenantRow.textContent()).toContain('2,000,000');

    await tenantRow.getByRole('button', { name: `Suspend ${TENANT_NAME}` }).click();
    await page
      .getByRole('alertdialog', { name: `Suspend ${TENANT_NAME}?` })
      .getByRole('button', { name: 'Suspend tenant' })
      .click();
    await expect.poll(() => tenantRow.textContent()).toContain('suspended');
    await tenantRow.getByRole('button', { name: `Reactivate ${TENANT_NAME}` }).click();
    await page
      .getByRole('alertdialog', { name: `Reactivate ${TENANT_NAME}?` })
      .getByRole('button', { name: 'Reactivate tenant' })
      .click();
    await expect.poll(() => tenantRow.textContent()).toContain('active');
    expect(await tenantRow.textContent()).not.toContain('suspended');

    await page.getByLabel('Search tenants').fill('no such tenant');
    await page.getByText('No tenant matches').waitFor();
    await page.getByLabel('Search tenants').fill(TENANT_NAME.toLowerCase());
    await tenantRow.waitFor();
    await reviewPage('super-admin-tenants');

    await openFromNavigation('Audit log', 'Audit log');
    await page.getByRole('table', { name: 'Audit log' }).waitFor();
    await reviewPage('super-admin-audit');
    await signOutThroughUi(page);
  }, 240_000);

  it('tenant admin accepts the invitation and funds a user', async () => {
    const invitation = (await testStack().readOutbox(ADMIN_EMAIL)).at(-1);
    expect(invitation?.temporaryPassword).toBeTruthy();
    await page.goto(urlOf(`/accept-invite?email=${encodeURIComponent(ADMIN_EMAIL)}`));
    await page.getByLabel('Temporary password').fill(invitation?.temporaryPassword ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();
    adminPassword = newPassword();
    await setNewPasswordThroughUi(page, adminPassword);
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await expect.poll(() => readStat('Pool balance')).toBe(GRANTED_CREDITS);
    await reviewPage('tenant-admin-overview');

    await openFromNavigation('Users', 'Users');
    await page.getByLabel('Email').fill(USER_EMAIL);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    const userRow = tableRow('Users', USER_EMAIL);
    await userRow.waitFor();
    await userRow.getByRole('button', { name: `Move credits for ${USER_EMAIL}` }).click();
    const creditsDialog = page.getByRole('dialog', { name: `Credits for ${USER_EMAIL}` });
    await creditsDialog.getByLabel('Amount').fill(String(ALLOCATED_CREDITS));
    await creditsDialog.getByRole('button', { name: 'Allocate' }).click();
    await creditsDialog.waitFor({ state: 'hidden' });
    await expect.poll(() => userRow.textContent()).toContain('5,000');
    await reviewPage('tenant-admin-users');

    await openFromNavigation('Usage', 'Usage');
    await reviewPage('tenant-admin-usage');
    await openFromNavigation('Settings', 'Settings');
    await page.getByText('Source').waitFor();
    await reviewPage('tenant-admin-settings');
    await openFromNavigation('Audit log', 'Audit log');
    await page.getByRole('table', { name: 'Audit log' }).waitFor();
    await reviewPage('tenant-admin-audit');
    await openFromNavigation('API tokens', 'API tokens');
    await reviewPage('tenant-admin-api-tokens');
    await signOutThroughUi(page);
  }, 240_000);

  it('user chats with a streamed reply and sees the balance fall', async () => {
    const invitation = (await testStack().readOutbox(USER_EMAIL)).at(-1);
    expect(invitation?.temporaryPassword).toBeTruthy();
    await page.goto(urlOf('/'));
    await signInThroughUi(page, USER_EMAIL, invitation?.temporaryPassword ?? '');
    userPassword = newPassword();
    await setNewPasswordThroughUi(page, userPassword);
    await page.getByRole('heading', { name: 'Chat', exact: true }).waitFor();
    await expect.poll(() => readStat('Balance')).toBe(ALLOCATED_CREDITS);
    await reviewPage('user-chat-empty');

    // The upstream sends the first piece and then waits, so a visible first piece while the
    // rest is missing shows that the reply streams in.
    await testStack().upstream.setBehaviour({
      mode: 'normal',
      holdAfterFirstChunk: true,
      match: { path: '/v1/chat/completions' },
    });
    try {
      await page.getByRole('textbox', { name: 'Message' }).fill(PROMPT);
      await page.getByRole('button', { name: 'Send' }).click();
      const reply = page.getByRole('article', { name: 'Reply' });
      await expect.poll(async () => (await reply.textContent())?.trim()).toBe('Echo:');
      await page.getByRole('button', { name: 'Stop' }).waitFor();
      expect(await testStack().upstream.releaseHeld()).toBe(1);
      await expect.poll(async () => (await reply.textContent())?.trim()).toBe(`Echo: ${PROMPT}`);
    } finally {
      await testStack().upstream.resetBehaviour();
    }
    await page.getByLabel('Receipt').waitFor();
    await expect.poll(() => readStat('Balance')).toBeLessThan(ALLOCATED_CREDITS);
    await reviewPage('user-chat');

    await openFromNavigation('Balance', 'Balance');
    await page.getByRole('table', { name: 'Recent activity' }).waitFor();
    expect(await readStat('Balance')).toBeLessThan(ALLOCATED_CREDITS);
    await reviewPage('user-balance');

    await openFromNavigation('Usage', 'Usage');
    await page.getByRole('table', { name: 'AI calls' }).getByText('gpt-4o-mini').waitFor();
    await reviewPage('user-usage');

    await openFromNavigation('API tokens', 'API tokens');
    await page.getByLabel('Name').fill('Laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByLabel('New API token').textContent();
    expect(token).toMatch(/^cg\.tnt_\w+\.[0-9a-f-]{36}\.tok_\w+\.\S+$/);
    await tableRow('API tokens', 'Laptop').waitFor();
    await reviewPage('user-api-tokens');
    await signOutThroughUi(page);
  }, 240_000);

  it('tenant admin sees the usage', async () => {
    // A deep link survives the sign-in, so the admin lands on the usage page.
    await page.goto(urlOf('/usage'));
    await signInThroughUi(page, ADMIN_EMAIL, adminPassword);
    await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
    await expect.poll(() => readStat('AI calls')).toBe(1);
    expect(await readStat('Credits spent')).toBeGreaterThan(0);
    await page.getByRole('list', { name: 'Credits spent by user' }).getByText(USER_EMAIL).waitFor();
    await page
      .getByRole('list', { name: 'Credits spent by model' })
      .getByText('gpt-4o-mini')
      .waitFor();
    await reviewPage('tenant-admin-usage-after-chat');

    await page.reload();
    await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
    await expect.poll(() => readStat('AI calls')).toBe(1);
  }, 120_000);

  it('expired session returns to the page after sign-in', async () => {
    await page.route(
      '**/v1/tenants/*/usage*',
      (route) =>
        route.fulfill({
          status: 401,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'Token expired' } }),
        }),
      { times: 1 },
    );
    await page.getByLabel('Period').selectOption({ label: 'Last 7 days' });

    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Your session has ended. Sign in again.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/usage');
    await signInThroughUi(page, ADMIN_EMAIL, adminPassword);
    await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/usage');
  }, 120_000);

  describe('alerts and credit requests', () => {
    it('admin sets low-balance alerts', async () => {
      await openFromNavigation('Settings', 'Settings');
      await page.getByLabel('Pool below').fill('10000');
      await page.getByLabel('Any user below').fill('');
      await page.getByRole('button', { name: 'Save alerts' }).click();
      await page.getByText('Alert settings saved').waitFor();

      await page.reload();
      await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
      await expect.poll(() => page.getByLabel('Pool below').inputValue()).toBe('10000');
      expect(await page.getByLabel('Any user below').inputValue()).toBe('');
      await reviewPage('tenant-admin-settings-alerts');
      await signOutThroughUi(page);
    }, 120_000);

    it('user requests credits and the admin approves', async () => {
      await page.goto(urlOf('/credit-requests'));
      await signInThroughUi(page, USER_EMAIL, userPassword);
      await page.getByRole('heading', { name: 'Request credits', exact: true }).waitFor();
      await page.getByLabel('Amount').fill('1000');
      await page.getByLabel('Reason').fill('More experiments');
      await page.getByRole('button', { name: 'Send request' }).click();
      await tableRow('Credit requests', 'More experiments').getByText('pending').waitFor();
      await reviewPage('user-credit-requests');
      const balanceBefore = (await testStack().signIn(USER_EMAIL, userPassword)).idToken;
      const before = await testStack().api(balanceBefore, 'GET', '/v1/me');
      await signOutThroughUi(page);

      await page.goto(urlOf('/credit-requests'));
      await signInThroughUi(page, ADMIN_EMAIL, adminPassword);
      await page.getByRole('heading', { name: 'Credit requests', exact: true }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Requests 1 pending' }).waitFor();
      const row = tableRow('Credit requests', 'More experiments');
      await row.waitFor();
      await reviewPage('tenant-admin-credit-requests');
      await row.getByRole('button', { name: /^Approve/ }).click();
      const dialog = page.getByRole('dialog', { name: /^Approve 1,000 credits/ });
      await dialog.getByLabel('Note to the member').fill('Enjoy');
      await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await row.waitFor({ state: 'detached' });
      // The count is read on each page change.
      await openFromNavigation('Users', 'Users');
      await nav.getByRole('link', { name: 'Requests', exact: true }).waitFor();

      const after = await testStack().api(balanceBefore, 'GET', '/v1/me');
      expect(after.body.balance).toBe(before.body.balance + 1000);
    }, 180_000);
  });
});
