/** The result of one invocation through the local Lambda Invoke API. */
export interface InvocationResult {
  /** The handler's return value, or Lambda's `{errorType, errorMessage}` on a function error. */
  payload: unknown;
  /** Lambda's `X-Amz-Function-Error` header: set when the handler threw. */
  functionError: string | undefined;
}

/**
 * Invokes a function of the local gateway's Lambda Invoke API
 * (`POST {lambdaEndpoint}/2015-03-31/functions/<name>/invocations`), synchronously, and
 * returns its result. Throws for an endpoint whose host is not loopback, because that API
 * only exists in local mode. Also throws when the API returns an HTTP error.
 */
export async function invokeLocalFunction(input: {
  lambdaEndpoint: string;
  functionName: string;
  payload?: unknown;
  timeoutMs: number;
}): Promise<InvocationResult> {
  const endpoint = new URL(input.lambdaEndpoint);
  const isLoopback =
    endpoint.hostname === 'localhost' ||
    endpoint.hostname === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(endpoint.hostname);
  if (!isLoopback) {
    throw new Error(
      `Invalid Lambda endpoint '${input.lambdaEndpoint}': the local Invoke API is served only on loopback.`,
    );
  }
  const url = new URL(
    `/2015-03-31/functions/${encodeURIComponent(input.functionName)}/invocations`,
    endpoint,
  );
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input.payload ?? {}),
    signal: AbortSignal.timeout(input.timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`Invoking ${input.functionName} failed with HTTP ${response.status}: ${text}`);
  }
  return {
    payload: text === '' ? null : JSON.parse(text),
    functionError: response.headers.get('x-amz-function-error') ?? undefined,
  };
}

/** Path on the gateway's Lambda port that returns `{"runsAfterResponse": n}` for tests. */
export const BACKGROUND_RUNS_PATH = '/_local/runs-after-response';
