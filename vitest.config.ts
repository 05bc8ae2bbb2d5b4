import { defineConfig } from 'vitest/config';

/**
 * One test run for the whole repository: unit tests (`*.test.ts`) beside the code and
 * integration tests (`*.int.test.ts`) that start their own local stack. Integration files
 * each start Java and Node children, so at most two test files run at once.
 */
export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/cdk.out/**', '.local/**'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    maxWorkers: 2,
    reporters: ['default', './scripts/summary-reporter.ts'],
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      DDB_LOCAL_TELEMETRY: '0',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
  },
});
