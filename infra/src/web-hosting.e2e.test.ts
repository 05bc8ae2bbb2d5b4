import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, requireChromium, type TestBrowser } from '../local/testing/browser';
import { contentSecurityPolicy, SPA_ROUTING_CODE } from './web-hosting';

/**
 * Loads the production SPA build in Chromium with the Content-Security-Policy that
 * CloudFront sends, from a loopback server that routes paths as the CloudFront Function
 * does. A policy that blocks the SPA's own scripts or styles shows up as a violation here.
 */

const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));
const OPENAPI_DOCUMENT = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
const REGION = 'us-east-1';
const RUNTIME_CONFIG = {
  apiBaseUrl: '',
  region: REGION,
  userPoolId: `${REGION}_csptest`,
  userPoolClientId: 'csptestclient',
  cognitoEndpoint: null,
};
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

const rewriteUri = new Function(`${SPA_ROUTING_CODE}; return handler;`)() as (event: {
  request: { uri: string };
}) => { uri: string };

let distDir: string;
let browser: TestBrowser | undefined;
let server: Server;
let baseUrl: string;
let context: BrowserContext;
const blockedRequests: string[] = [];

/** Serves the build like the distribution: rewritten paths, the generated config, the CSP. */
function startSiteServer(root: string): Promise<Server> {
  const site = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const uri = rewriteUri({ request: { uri: path } }).uri;
    response.setHeader('content-security-policy', contentSecurityPolicy(REGION));
    if (uri === '/config.json') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(RUNTIME_CONFIG));
      return;
    }
    // The API reference page reads the document from the API, which shares the site's origin.
    if (uri === '/v1/openapi.json') {
      response.setHeader('content-type', 'application/json');
      response.end(await readFile(OPENAPI_DOCUMENT));
      return;
    }
    const file = normalize(join(root, uri));
    if (!file.startsWith(root)) {
      response.statusCode = 400;
      response.end();
      return;
    }
    try {
      const body = await readFile(file);
      response.setHeader(
        'content-type',
        CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      );
      response.end(body);
    } catch {
      response.statusCode = 404;
      response.end('Not found');
    }
  });
  return new Promise((resolve) => site.listen(0, '127.0.0.1', () => resolve(site)));
}

/**
 * Opens `path` and returns the CSP violations the page reported while it rendered, once the
 * `ready` heading shows (the sign-in page's by default).
 */
async function violationsOn(
  path: string,
  ready: { role: 'button' | 'heading'; name: string } = { role: 'button', name: 'Sign in' },
): Promise<{ page: Page; violations: string[] }> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // Browser-side code is passed as text, because the infra workspace has no DOM types.
  await page.addInitScript({
    content: `
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations.push(event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline'));
      });
    `,
  });
  await page.goto(`${baseUrl}${path}`);
  await page.getByRole(ready.role, { name: ready.name }).first().waitFor();
  const violations = (await page.evaluate('window.cspViolations')) as string[];
  return { page, violations };
}

describe('SPA under the production CSP', () => {
  beforeAll(async () => {
    await requireChromium();
    distDir = await mkdtemp(join(tmpdir(), 'creditgate-csp-dist-'));
    const build = spawnSync(
      process.execPath,
      [
        join(WEB_ROOT, '../node_modules/vite/bin/vite.js'),
        'build',
        '--outDir',
        distDir,
        '--emptyOutDir',
      ],
      // Vitest sets NODE_ENV=test, which would build React's development bundle.
      {
        cwd: WEB_ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr}`);

    server = await startSiteServer(distDir);
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = browser.context;
    // Only the loopback site may be reached; the sign-in page should not call Cognito.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(baseUrl) || url.startsWith('data:')) return route.continue();
      blockedRequests.push(url);
      return route.abort();
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (distDir) await rm(distDir, { recursive: true, force: true });
  });

  it('renders the sign-in page without violations', async () => {
    const { page, violations } = await violationsOn('/');

    expect(violations).toEqual([]);
    expect(await page.getByRole('textbox', { name: 'Email' }).isVisible()).toBe(true);
    expect(blockedRequests).toEqual([]);
  });

  it('renders a deep link without violations', async () => {
    const { page, violations } = await violationsOn('/tenants');

    expect(violations).toEqual([]);
    expect(await page.getByRole('textbox', { name: 'Email' }).isVisible()).toBe(true);
    expect(blockedRequests).toEqual([]);
  });

  it('renders the API reference without violations or outside requests', async () => {
    const { violations } = await violationsOn('/docs', { role: 'heading', name: 'Creditgate API' });

    expect(violations).toEqual([]);
    expect(blockedRequests).toEqual([]);
  });

  it('blocks an inline script, proving the policy applies', async () => {
    const { page } = await violationsOn('/');

    await page.evaluate(`
      const script = document.createElement('script');
      script.textContent = 'window.inlineScriptRan = true;';
      document.body.append(script);
    `);
    const violations = (await page.evaluate('window.cspViolations')) as string[];

    expect(await page.evaluate("'inlineScriptRan' in window")).toBe(false);
    expect(violations).toContainEqual(expect.stringMatching(/^script-src/));
  });
});
