import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * In local mode the dev server proxies `/v1` to the local gateway, so the SPA calls its own
 * origin as it does behind CloudFront in AWS.
 */
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: process.env.CREDITGATE_API_URL
      ? { '/v1': { target: process.env.CREDITGATE_API_URL, changeOrigin: false } }
      : undefined,
  },
});
