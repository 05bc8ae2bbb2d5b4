import { afterEach, describe, expect, it } from 'vitest';
import { installLambdaRuntime, isStreamingHandler } from './lambda-runtime';

const global = globalThis as { awslambda?: Record<string, unknown> };
/** Reads the global afresh, so TypeScript does not narrow it across the install. */
const runtime = () => global.awslambda;

describe('installLambdaRuntime', () => {
  const saved = global.awslambda;

  afterEach(() => {
    global.awslambda = saved;
  });

  it('keeps fields another module set', () => {
    const invokeStore = { name: 'InvokeStore' };
    global.awslambda = { InvokeStore: invokeStore };

    installLambdaRuntime();

    expect(runtime()?.InvokeStore).toBe(invokeStore);
    expect(typeof runtime()?.streamifyResponse).toBe('function');
    expect(typeof runtime()?.HttpResponseStream).toBe('object');
  });

  it('marks a wrapped handler as streaming', () => {
    global.awslambda = undefined;
    installLambdaRuntime();
    const streamify = runtime()?.streamifyResponse as (handler: () => void) => unknown;

    const handler = streamify(() => undefined);

    expect(isStreamingHandler(handler)).toBe(true);
    expect(isStreamingHandler(() => undefined)).toBe(false);
  });
});
