import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from '../../infra/local/testing/browser';
import { startTestStack, type TestStack } from '../../infra/local/testing/test-stack';

/**
 * The API reference at `/docs` in Debian's Chromium: it renders the served OpenAPI document
 * for anonymous and signed-in visitors, loads the renderer only on that page, and fetches
 * nothing from any host but the local stack. Requests to other hosts are aborted and listed.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

let stack: TestStack | undefined;
let context: BrowserContext | undefined;
let browser: TestBrowser | undefined;
let page: Page;
/** Every URL the page asked for, in order. */
const requestedUrls: string[] = [];
/** URLs of other hosts, which the test aborts before they leave the machine. */
const blockedUrls: string[] = [];

function testStack(): TestStack {
  if (!stack) throw new Error('The test stack did not start');
  return stack;
}

async function openDocs(): Promise<void> {
  await page.goto(`${testStack().info.webUrl}/docs`);
  await page.getByRole('heading', { name: 'Creditgate API' }).first().waitFor();
}

describe('API reference in the browser', () => {
  beforeAll(async () => {
    stack = await startTestStack({ isWebEnabled: true });
    browser = await launchChromium();
    context = browser.context;
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requestedUrls.push(url);
      const { protocol, hostname } = new URL(url);
      const isLocal = protocol === 'data:' || protocol === 'blob:' || LOOPBACK_HOSTS.has(hostname);
      if (isLocal) {
        await route.continue();
      } else {
        blockedUrls.push(url);
        await route.abort();
      }
    });
    page = browser.page;
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('sign-in page loads no renderer code', async () => {
    await page.goto(testStack().info.webUrl as string);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    expect(requestedUrls.filter((url) => url.includes('scalar'))).toEqual([]);
  }, 60_000);

  it('renders the reference for anonymous visitors', async () => {
    await openDocs();

    await page.getByText('Create a chat completion (OpenAI-compatible)').first().waitFor();
    // The dev server proxies `/v1` to the API, as CloudFront does in AWS.
    expect(requestedUrls).toContain(`${testStack().info.webUrl}/v1/openapi.json`);
    // Scalar renders the first tag, AI, at once and the others as they scroll into view.
    await page.getByText('Roles: TenantAdmin, User.').first().waitFor();
  }, 60_000);

  it('offers openai SDK, curl and fetch samples', async () => {
    await openDocs();
    const chatSection = page.locator('section[id$="POST/v1/chat/completions"]');

    await chatSection.getByTestId('client-picker').click();

    for (const label of ['openai SDK', 'curl', 'fetch']) {
      await page.getByRole('option', { name: label, exact: true }).first().waitFor();
    }
    await page.getByRole('option', { name: 'openai SDK', exact: true }).first().click();
    await chatSection.getByText("import OpenAI from 'openai';").waitFor();
  }, 60_000);

  it('renders the reference when signed in', async () => {
    const { email, password } = testStack().info.superAdmin;
    await page.goto(testStack().info.webUrl as string);
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    await openDocs();

    expect(await page.getByText('Get this OpenAPI document').count()).toBeGreaterThan(0);
  }, 60_000);

  it('fetches nothing from other hosts', () => {
    expect(blockedUrls).toEqual([]);
  });
});
