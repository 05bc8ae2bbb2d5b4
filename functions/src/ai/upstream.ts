import { AppError } from '@creditgate/shared';
import { requireEnv } from '../lib/env';

/**
 * Sends a request to the OpenAI-compatible upstream at `OPENAI_BASE_URL`. The caller owns
 * the abort: it aborts on its idle and total timeouts and when the client goes away.
 */
export async function callUpstream(input: {
  path: string;
  apiKey: string;
  body: unknown;
  controller: AbortController;
}): Promise<Response> {
  const url = `${requireEnv('OPENAI_BASE_URL').replace(/\/$/, '')}${input.path}`;
  try {
    return await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${input.apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify(input.body),
      signal: input.controller.signal,
    });
  } catch (error) {
    if (input.controller.signal.aborted && input.controller.signal.reason === 'timeout') {
      throw new AppError('UPSTREAM_TIMEOUT', 'The AI provider did not answer in time', {
        cause: error,
      });
    }
    throw new AppError('UPSTREAM_ERROR', 'The AI provider could not be reached', { cause: error });
  }
}

/** Maps an upstream error status to the error the client gets. */
export async function upstreamFailure(response: Response): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let message = `The AI provider answered ${response.status}`;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    // Not JSON: keep the generic message.
  }
  if (response.status === 400 || response.status === 404 || response.status === 422) {
    // The request itself was wrong; the client can fix it, so pass the provider's reason on.
    return new AppError('VALIDATION_FAILED', message, {
      details: { upstreamStatus: response.status },
    });
  }
  if (response.status === 429) {
    return new AppError('RATE_LIMITED', 'The AI provider is rate limiting requests; retry later', {
      details: { retryAfter: response.headers.get('retry-after') ?? '1' },
    });
  }
  return new AppError('UPSTREAM_ERROR', `The AI provider failed with status ${response.status}`);
}

/** Splits an SSE byte stream into `data:` payloads; comment and empty lines are dropped. */
export async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('data:')) yield line.slice(5).trimStart();
      newline = buffer.indexOf('\n');
    }
  }
  if (buffer.startsWith('data:')) yield buffer.slice(5).trimStart();
}
