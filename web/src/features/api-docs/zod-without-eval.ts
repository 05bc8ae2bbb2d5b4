import { config } from 'zod';

/**
 * Scalar validates with zod, which probes for `Function('')` to compile faster parsers. The
 * site's Content-Security-Policy has no 'unsafe-eval', so the probe reports a violation;
 * zod's jitless mode skips the probe. Scalar runs zod when its module loads, so the page
 * imports Scalar dynamically after this module, and zod has a chunk of its own (see
 * `web/vite.config.ts`) that loads without Scalar.
 */
config({ jitless: true });
