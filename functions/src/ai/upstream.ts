import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { AppError } from '@creditgate/shared';
import { requireEnv } from '../lib/env';

/**
 * Idle keep-alive connections to upstream close after this long, or 1 s before the timeout
 * that upstream announces in `Keep-Alive` if that is sooner, so a call rarely reuses a
 * connection that upstream is closing. `fetch` (undici) also defaults to 4 s, though it
 * follows longer hints too. A request in progress is not affected.
 */
const IDLE_CONNECTION_MS = 4_000;

/** Keep-alive connections to upstream, reused by the calls of a warm function instance. */
const httpAgent = new HttpAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS });
const httpsAgent = new HttpsAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS });

/**
 * An upstream response: its status, its headers and a body that is read once, as it
 * arrives. It wraps `node:http`'s response directly, because a web `Response` and its
 * stream cost the chat handler about 0.4 ms of CPU a call (docs/benchmarks.md).
 */
export class UpstreamResponse {
  #text: Promise<string> | undefined;

  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string | string[] | undefined>>,
    /** The body's bytes. An abort or a broken connection makes iterating it throw. */
    readonly body: Readable,
  ) {}

  /** Builds a response from a string, for fakes in tests. */
  static fromText(status: number, text: string, headers: Record<string, string> = {}) {
    const lowerCased = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    return new UpstreamResponse(status, lowerCased, Readable.from([Buffer.from(text)]));
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** Returns a header's value, or the first value of a repeated header. */
  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** Reads the whole body as text. Later calls return the same text. */
  text(): Promise<string> {
    this.#text ??= readUpstreamText(this.body, () => undefined);
    return this.#text;
  }

  /** Reads and drops a body that is not needed, so its connection can serve the next call. */
  discard(): void {
    if (!this.#text) this.body.resume();
  }
}

/**
 * Sends a request to the OpenAI-compatible upstream at `OPENAI_BASE_URL` and resolves with
 * its response as soon as the headers arrive. The caller owns the abort: it aborts on its
 * idle and total timeouts and when the client goes away. An abort whose reason is an
 * `AppError` or a `ClientGoneError` rejects with that reason; the string reason `'timeout'`
 * rejects with UPSTREAM_TIMEOUT. The request goes through `node:http`, because the
 * benchmark measured `fetch` adding 0.5 to 1 ms to each proxied call (docs/benchmarks.md).
 */
export async function callUpstream(input: {
  path: string;
  apiKey: string;
  body: unknown;
  controller: AbortController;
  /** Runs once the whole request has been handed to the connection. */
  onSent?: () => void;
}): Promise<UpstreamResponse> {
  const url = new URL(`${requireEnv('OPENAI_BASE_URL').replace(/\/$/, '')}${input.path}`);
  try {
    return await postJson(url, input.apiKey, JSON.stringify(input.body), {
      signal: input.controller.signal,
      onSent: input.onSent,
    });
  } catch (error) {
    throw (
      abortErrorOf(input.controller.signal, error) ??
      new AppError('UPSTREAM_ERROR', 'The AI provider could not be reached', { cause: error })
    );
  }
}

/**
 * Posts `body` and resolves with the response as soon as its headers arrive. An abort or a
 * broken connection before then rejects. After the headers, it makes reading the body throw.
 */
function postJson(
  url: URL,
  apiKey: string,
  body: string,
  options: { signal: AbortSignal; onSent: (() => void) | undefined },
): Promise<UpstreamResponse> {
  const { signal, onSent } = options;
  const isHttps = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (isHttps ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        agent: isHttps ? httpsAgent : httpAgent,
        signal,
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          accept: 'application/json, text/event-stream',
        },
      },
      (incoming) =>
        resolve(new UpstreamResponse(incoming.statusCode ?? 502, incoming.headers, incoming)),
    );
    // An error can also come after the response, such as an abort while the body is read.
    // Reading the body reports that one, and this listener keeps it from being unhandled.
    request.on('error', reject);
    if (onSent) request.once('finish', onSent);
    request.end(body);
  });
}

/**
 * The client closed its connection before the response ended. It is never sent to anyone:
 * the proxy only stops reading upstream and closes the hold.
 */
export class ClientGoneError extends Error {
  constructor(cause?: unknown) {
    super('The client closed the connection', { cause });
    this.name = 'ClientGoneError';
  }
}

/** Returns the error that an aborted signal's reason represents, or undefined before an abort. */
function abortErrorOf(signal: AbortSignal, cause: unknown): Error | undefined {
  if (!signal.aborted) return undefined;
  if (signal.reason instanceof AppError || signal.reason instanceof ClientGoneError)
    return signal.reason;
  if (signal.reason === 'timeout') {
    return new AppError('UPSTREAM_TIMEOUT', 'The AI provider did not answer in time', { cause });
  }
  return undefined;
}

/**
 * Guards one upstream call with an idle timeout (`idleMs` without a byte from upstream,
 * restarted by `recordActivity`), a total timeout (`totalMs` in all) and the client's
 * disconnect. Whichever comes first aborts `controller` with the error to report.
 */
export class UpstreamWatchdog {
  readonly controller = new AbortController();
  readonly #idleTimer: NodeJS.Timeout;
  readonly #totalTimer: NodeJS.Timeout;
  readonly #clientGone: AbortSignal | undefined;
  readonly #onClientGone = () => this.#stop(new ClientGoneError());

  constructor(limits: { idleMs: number; totalMs: number; clientGone?: AbortSignal }) {
    this.#idleTimer = setTimeout(
      () =>
        this.#stop(
          new AppError(
            'UPSTREAM_TIMEOUT',
            `The AI provider sent no data for ${formatSeconds(limits.idleMs)}; try again later`,
          ),
        ),
      limits.idleMs,
    );
    this.#totalTimer = setTimeout(
      () =>
        this.#stop(
          new AppError(
            'UPSTREAM_TIMEOUT',
            `The AI provider did not finish within ${formatSeconds(limits.totalMs)}; ask for fewer tokens`,
          ),
        ),
      limits.totalMs,
    );
    this.#clientGone = limits.clientGone;
    if (this.#clientGone?.aborted) this.#onClientGone();
    else this.#clientGone?.addEventListener('abort', this.#onClientGone, { once: true });
  }

  /** True when the client closed its connection, which stopped the call. */
  get isClientGone(): boolean {
    return this.controller.signal.reason instanceof ClientGoneError;
  }

  /** Restarts the idle timer, because upstream sent data. */
  recordActivity(): void {
    if (!this.controller.signal.aborted) this.#idleTimer.refresh();
  }

  /**
   * Returns the error to report for a failure while talking to upstream: the timeout or
   * disconnect that stopped the call, an `AppError` as it is, or else UPSTREAM_ERROR
   * with `message`.
   */
  explain(error: unknown, message: string): Error {
    const aborted = abortErrorOf(this.controller.signal, error);
    if (aborted) return aborted;
    if (error instanceof AppError) return error;
    return new AppError('UPSTREAM_ERROR', message, { cause: error });
  }

  /** Stops the timers. Call it once the upstream call is over. */
  dispose(): void {
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#totalTimer);
    this.#clientGone?.removeEventListener('abort', this.#onClientGone);
  }

  #stop(reason: Error): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }
}

function formatSeconds(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toFixed(1))} s`;
}

/**
 * Maps an upstream error status to the error the client gets. `apiKey`, the key the request
 * used, and anything shaped like an OpenAI key are removed from a message that is passed on,
 * because some providers echo the key in their error text.
 */
export async function upstreamFailure(
  response: UpstreamResponse,
  apiKey?: string,
): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let upstreamError: { message?: unknown; param?: unknown; code?: unknown } | undefined;
  try {
    upstreamError = (JSON.parse(text) as { error?: typeof upstreamError }).error;
  } catch {
    // Not JSON: the generic messages below apply.
  }
  if (response.status === 400 || response.status === 404 || response.status === 422) {
    // The request itself was wrong; the client can fix it, so pass the provider's reason on.
    const message =
      typeof upstreamError?.message === 'string'
        ? redactKeys(upstreamError.message, apiKey)
        : `The AI provider rejected the request with status ${response.status}`;
    const param = typeof upstreamError?.param === 'string' ? upstreamError.param : undefined;
    return new AppError('VALIDATION_FAILED', message, {
      details: {
        upstreamStatus: response.status,
        ...(param && { fields: [{ field: param, message }] }),
      },
    });
  }
  if (response.status === 429 && upstreamError?.code === 'insufficient_quota') {
    // The platform's provider account is out of quota: the client cannot fix that by waiting.
    return new AppError('UPSTREAM_ERROR', 'The AI provider is unavailable; try again later', {
      details: { upstreamStatus: 429 },
    });
  }
  if (response.status === 429) {
    return new AppError('RATE_LIMITED', 'The AI provider is rate limiting requests; retry later', {
      details: { retryAfter: response.header('retry-after') ?? '1' },
    });
  }
  return new AppError('UPSTREAM_ERROR', `The AI provider failed with status ${response.status}`, {
    details: { upstreamStatus: response.status },
  });
}

/** Replaces `apiKey` and any `sk-...` key in `text` with `[redacted]`. */
export function redactKeys(text: string, apiKey?: string): string {
  const withoutKey = apiKey ? text.replaceAll(apiKey, '[redacted]') : text;
  return withoutKey.replace(/\bsk-[A-Za-z0-9_-]{8,}/g, '[redacted]');
}

/** Reads a whole response body as text, calling `onBytes` for every chunk that arrives. */
export async function readUpstreamText(
  body: AsyncIterable<Uint8Array>,
  onBytes: () => void,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) {
    onBytes();
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * Splits an SSE byte stream into `data:` payloads; comment and empty lines are dropped.
 * `onBytes` runs for every chunk of bytes, comments included.
 */
export async function* readSseData(
  body: AsyncIterable<Uint8Array>,
  onBytes: () => void = () => undefined,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    onBytes();
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
