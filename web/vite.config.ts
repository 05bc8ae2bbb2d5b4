import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { bundleSizeReport } from './scripts/bundle-size-plugin';

/**
 * Serves the SPA's runtime settings at `/config.json` from `CREDITGATE_WEB_CONFIG`, which
 * the local supervisor sets. In AWS the same file is deployed beside `index.html`, so one
 * build serves every stage.
 */
function localRuntimeConfig(): Plugin {
  return {
    name: 'creditgate-local-config',
    configureServer(server) {
      const config = process.env.CREDITGATE_WEB_CONFIG;
      if (!config) return;
      server.middlewares.use('/config.json', (_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.setHeader('cache-control', 'no-store');
        response.end(config);
      });
    },
  };
}

/**
 * In local mode the dev server proxies `/v1` to the local gateway, so the SPA calls its own
 * origin as it does behind CloudFront in AWS.
 */
export default defineConfig({
  plugins: [react(), localRuntimeConfig(), bundleSizeReport()],
  build: {
    rolldownOptions: {
      // shared/ is pure TypeScript without module side effects, so the SPA's bundle keeps only
      // what it imports from there and leaves out the Zod schemas and Zod itself.
      treeshake: { moduleSideEffects: [{ test: /\/shared\/src\//, sideEffects: false }] },
      output: {
        // Libraries change less often than the app, so they get chunks of their own to cache.
        // A group also takes in its modules' dependencies, and the code any other chunk uses
        // from them. So `@floating-ui/vue` and `@internationalized`, which only the lazily
        // loaded API reference uses, stay out: they would add Vue and calendar code to the
        // chakra chunk that the first page loads.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules\/(react|react-dom|react-router|scheduler)\// },
            {
              name: 'chakra',
              test: /node_modules\/(@chakra-ui|@ark-ui|@zag-js|@emotion|@floating-ui\/(?!vue)|@pandacss|stylis|next-themes)\//,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: process.env.CREDITGATE_API_URL
      ? { '/v1': { target: process.env.CREDITGATE_API_URL, changeOrigin: false } }
      : undefined,
  },
});
