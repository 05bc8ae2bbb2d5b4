import { config } from 'zod';

/**
 * Scalar validates with zod, which probes for `Function('')` to compile faster parsers. The
 * site's Content-Security-Policy has no 'unsafe-eval', so the probe reports a violation;
 * zod's jitless mode skips the probe. Scalar runs zod when its module loads, so the page
 * imports Scalar dynamically, after this module has run. The browser test of the production
 * CSP (`infra/src/web-hosting.e2e.test.ts`) fails if the probe runs again.
 */
config({ jitless: true });
