import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const OBSERVABILITY_MODULE = fileURLToPath(new URL('./observability.ts', import.meta.url));

/**
 * Imports the observability module in a new Node process with `env` and reports whether it
 * made a tracer and whether the X-Ray SDK's async-hook namespace exists, which the SDK
 * creates when it loads.
 */
function loadObservability(env: Record<string, string>): { hasTracer: boolean; hasHooks: boolean } {
  const script = `
    const { tracer } = await import(${JSON.stringify(OBSERVABILITY_MODULE)});
    const namespaces = process.namespaces ?? {};
    console.log(JSON.stringify({ hasTracer: tracer !== undefined, hasHooks: 'AWSXRay' in namespaces }));
  `;
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
        POWERTOOLS_METRICS_DISABLED: 'true',
        ...env,
      },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}');
}

describe('tracer loading', () => {
  it('loads no X-Ray SDK in local mode', () => {
    expect(loadObservability({ CREDITGATE_LOCAL: '1' })).toEqual({
      hasTracer: false,
      hasHooks: false,
    });
  });

  it('loads no X-Ray SDK when POWERTOOLS_TRACE_ENABLED is false', () => {
    expect(loadObservability({ POWERTOOLS_TRACE_ENABLED: 'false' })).toEqual({
      hasTracer: false,
      hasHooks: false,
    });
  });

  it('loads the tracer in AWS by default', () => {
    expect(loadObservability({})).toEqual({ hasTracer: true, hasHooks: true });
  });
});
