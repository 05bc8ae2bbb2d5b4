import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  signInThroughUi,
  signOutThroughUi,
  type TestBrowser,
} from '../../infra/local/testing/browser';
import {
  newPassword,
  planInput,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';
import { totpCode } from '../../infra/local/testing/totp';

/**
 * Two-step verification through the SPA in Debian's Chromium, against cognito-local. A
 * TenantAdmin adds an authenticator app on the Security page, signs in with its code, and
 * turns it off again. Then a SuperAdmin resets the app from the tenant's member list. The
 * test computes the codes as the app would, from the secret key that the page shows.
 */

const ADMIN_EMAIL = 'admin@mfa-e2e.test';
const TENANT_NAME = 'MFA E2E';
const TOTP_STEP_MS = 30_000;

let stack: TestStack | undefined;
let browser: TestBrowser | undefined;
let page: Page;
let password: string;
let secret: string;

function testStack(): TestStack {
  if (!stack) throw new Error('The test stack did not start');
  return stack;
}

/** Returns a 6-digit code that no authenticator step near now accepts. */
function wrongCode(): string {
  const now = Date.now();
  const valid = new Set(
    [-2, -1, 0, 1, 2].map((step) => totpCode(secret, now + step * TOTP_STEP_MS)),
  );
  for (let candidate = 0; candidate < 10; candidate += 1) {
    const code = String(candidate).repeat(6);
    if (!valid.has(code)) return code;
  }
  throw new Error('Every candidate code is valid now');
}

async function enterCode(code: string, submitLabel: string): Promise<void> {
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: submitLabel }).click();
}

/** Returns the secret key that the Security page shows during setup, without its spaces. */
async function readSecretKey(): Promise<string> {
  const secretKey = await page.getByRole('textbox', { name: 'Secret key' }).inputValue();
  return secretKey.replace(/\s/g, '');
}

async function expectSignInWithoutCode(): Promise<void> {
  await signInThroughUi(page, ADMIN_EMAIL, password);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  expect(await page.getByRole('heading', { name: 'Enter your authentication code' }).count()).toBe(
    0,
  );
}

async function openSecurityPage(): Promise<void> {
  await page.getByRole('link', { name: 'Security' }).click();
  await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
}

describe('two-step verification in the browser', () => {
  beforeAll(async () => {
    stack = await startTestStack({ isWebEnabled: true });
    browser = await launchChromium();
    page = browser.page;
    page.setDefaultTimeout(15_000);

    const superAdmin = await stack.signIn(
      stack.info.superAdmin.email,
      stack.info.superAdmin.password,
    );
    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    expect(plan.status).toBe(201);
    const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
      name: TENANT_NAME,
      planId: plan.body.planId,
      adminEmail: ADMIN_EMAIL,
      creditLimit: 10_000,
    });
    expect(tenant.status).toBe(201);
    password = newPassword();
    await stack.acceptInvite(ADMIN_EMAIL, password);

    await page.goto(testStack().info.webUrl as string);
    await signInThroughUi(page, ADMIN_EMAIL, password);
    await openSecurityPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('adds an authenticator app', async () => {
    await page.getByText('Off', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Set up authenticator app' }).click();

    secret = await readSecretKey();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const qrCode = page.getByRole('img', { name: 'QR code for your authenticator app' });
    expect(await qrCode.locator('svg path').count()).toBeGreaterThan(0);

    await enterCode(wrongCode(), 'Verify and turn on');
    await page.getByText('That code is not correct').waitFor();

    await enterCode(totpCode(secret), 'Verify and turn on');
    await page.getByText('Two-step verification is on').waitFor();
    await page.getByRole('button', { name: 'Turn off' }).waitFor();
  }, 60_000);

  it('requires the code at sign-in', async () => {
    await signOutThroughUi(page);
    await signInThroughUi(page, ADMIN_EMAIL, password);
    await page.getByRole('heading', { name: 'Enter your authentication code' }).waitFor();

    await enterCode(wrongCode(), 'Verify and sign in');
    await page.getByText('That code is not correct').waitFor();
    await page.getByRole('button', { name: 'Back to sign-in' }).click();
    const email = page.getByRole('textbox', { name: 'Email' });
    expect(await email.inputValue()).toBe(ADMIN_EMAIL);

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await enterCode(totpCode(secret), 'Verify and sign in');

    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await openSecurityPage();
    await page.getByText('On', { exact: true }).waitFor();

    // The refresh token from the challenge's response restores the session after a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
    await page.getByText('On', { exact: true }).waitFor();
  }, 60_000);

  it('turns the app off', async () => {
    await page.getByRole('button', { name: 'Turn off' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Turn off two-step verification?' });
    await dialog.getByLabel('Password').fill(password);
    await dialog.getByLabel('Authentication code').fill(wrongCode());
    await dialog.getByRole('button', { name: 'Turn off' }).click();
    await dialog.getByText('That code is not correct').waitFor();
    await dialog.getByLabel('Authentication code').fill(totpCode(secret));
    await dialog.getByRole('button', { name: 'Turn off' }).click();
    await page.getByText('Two-step verification is off').waitFor();

    await signOutThroughUi(page);
    await expectSignInWithoutCode();
  }, 60_000);

  it('resets the app as SuperAdmin', async () => {
    await openSecurityPage();
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    secret = await readSecretKey();
    await enterCode(totpCode(secret), 'Verify and turn on');
    await page.getByText('Two-step verification is on').waitFor();
    await signOutThroughUi(page);

    const { superAdmin } = testStack().info;
    await signInThroughUi(page, superAdmin.email, superAdmin.password);
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.getByRole('button', { name: `Members of ${TENANT_NAME}` }).click();
    const members = page.getByRole('dialog', { name: `Members of ${TENANT_NAME}` });
    await members
      .getByRole('button', { name: `Reset two-step verification of ${ADMIN_EMAIL}` })
      .click();
    const confirm = page.getByRole('alertdialog', { name: 'Reset two-step verification?' });
    await confirm.getByRole('button', { name: 'Reset' }).click();
    await page.getByText(`Two-step verification of ${ADMIN_EMAIL} reset`).waitFor();
    await members.getByText('Close', { exact: true }).click();
    await members.waitFor({ state: 'hidden' });
    await signOutThroughUi(page);

    await expectSignInWithoutCode();
  }, 60_000);
});
