import { isRecord } from './json-body.js';
import { OpenAiHttpError } from './openai-error.js';

/** Requests kept by the log; older entries are dropped first. */
export const MAX_RECORDED_REQUESTS = 1000;

/** One request received on `/v1/*`, as `GET /_control/requests` returns it. */
export interface RecordedRequest {
  /** ISO 8601 time the request's body was read. */
  time: string;
  /** The `x-request-id` header sent back with the response. */
  requestId: string;
  method: string;
  /** The path without the query string. */
  path: string;
  model: string | null;
  stream: boolean;
  stream_options: unknown;
  /** SHA-256 hex of the bearer key, or null without one. The key itself is never kept. */
  keySha256: string | null;
  /** The parsed JSON body, or null when the body is empty, invalid or too large. */
  body: unknown;
}

/** Received requests in arrival order, capped at `MAX_RECORDED_REQUESTS`. */
export class RequestLog {
  #entries: RecordedRequest[] = [];

  add(entry: RecordedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > MAX_RECORDED_REQUESTS) {
      this.#entries.splice(0, this.#entries.length - MAX_RECORDED_REQUESTS);
    }
  }

  list(): RecordedRequest[] {
    return [...this.#entries];
  }

  clear(): void {
    this.#entries = [];
  }
}

export const behaviourModes = [
  'normal',
  'status',
  'reset-before-headers',
  'reset-mid-stream',
  'hang',
  'no-usage',
] as const;

export type BehaviourMode = (typeof behaviourModes)[number];

/** Selects the requests a behaviour applies to; every field given must be equal. */
export interface UsageOverride {
  prompt_tokens?: number;
  completion_tokens?: number;
  cached_tokens?: number;
}

export interface BehaviourMatch {
  keySha256?: string;
  model?: string;
  /** A request path such as `/v1/chat/completions`. */
  path?: string;
}

/**
 * Reply mode for matching requests on `/v1/*`, set with `POST /_control/behaviour`.
 * Admin and model-list requests match too unless `match` narrows the behaviour.
 */
export interface Behaviour {
  /**
   * - `normal`: a regular reply.
   * - `status`: HTTP `status` (default 500) with `body` (default an OpenAI-shaped error).
   * - `reset-before-headers`: the connection is reset before any response byte.
   * - `reset-mid-stream`: `chunks` content chunks (default 2) are sent, then the connection
   *   closes without the finish chunk, the usage or `[DONE]`. A JSON reply is cut halfway.
   * - `hang`: no response until the client disconnects or the server closes.
   * - `no-usage`: a regular reply with no `usage` field in the JSON body or in any chunk.
   */
  mode: BehaviourMode;
  status?: number;
  /** Response body for `status`: a string is sent as text, any other value as JSON. */
  body?: unknown;
  /** `Retry-After` header value for `status`, in seconds or as an HTTP date. */
  retryAfter?: number | string;
  /** Milliseconds to wait before the response headers. */
  delayMs?: number;
  /** Content pieces per choice, in place of the echoed sentence's word count. */
  chunks?: number;
  /** Milliseconds to wait between SSE chunks. */
  chunkDelayMs?: number;
  /**
   * Holds a stream after its first chunk, or a JSON reply after its headers, until
   * `POST /_control/release`.
   */
  holdAfterFirstChunk?: boolean;
  /**
   * Token counts to report in place of the computed ones, as a provider whose tokenizer or
   * hidden inputs (images, tools) count more than the request shows would.
   */
  usage?: UsageOverride;
  /** Number of matching requests this behaviour applies to before it reverts to normal. */
  count?: number;
  match?: BehaviourMatch;
}

const MAX_DELAY_MS = 600_000;
const MAX_CHUNKS = 10_000;
const behaviourFields = new Set([
  'mode',
  'status',
  'body',
  'retryAfter',
  'delayMs',
  'chunks',
  'chunkDelayMs',
  'holdAfterFirstChunk',
  'usage',
  'count',
  'match',
]);
const matchFields = new Set(['keySha256', 'model', 'path']);

/**
 * Validates a behaviour from the control API. Unknown fields are rejected so that a typo
 * such as `delay` fails the test that sent it instead of being ignored.
 */
export function parseBehaviour(value: unknown): Behaviour {
  if (!isRecord(value)) {
    throw createControlError('The behaviour must be a JSON object.');
  }
  for (const field of Object.keys(value)) {
    if (!behaviourFields.has(field)) {
      throw createControlError(
        `Unknown behaviour field '${field}'. Known fields: ${[...behaviourFields].join(', ')}.`,
      );
    }
  }
  const mode = value.mode;
  if (typeof mode !== 'string' || !(behaviourModes as readonly string[]).includes(mode)) {
    throw createControlError(
      `Invalid 'mode' ${JSON.stringify(mode)}: expected one of ${behaviourModes.join(', ')}.`,
    );
  }
  const behaviour: Behaviour = { mode: mode as BehaviourMode };

  if (mode !== 'status') {
    for (const field of ['status', 'body', 'retryAfter'] as const) {
      if (value[field] !== undefined) {
        throw createControlError(`'${field}' is only used with mode "status".`);
      }
    }
  }
  if (value.status !== undefined) {
    behaviour.status = parseInteger(value.status, 'status', 100, 599);
  }
  if (value.body !== undefined) {
    behaviour.body = value.body;
  }
  if (value.retryAfter !== undefined) {
    behaviour.retryAfter = parseRetryAfter(value.retryAfter);
  }
  if (value.delayMs !== undefined) {
    behaviour.delayMs = parseInteger(value.delayMs, 'delayMs', 0, MAX_DELAY_MS);
  }
  if (value.chunks !== undefined) {
    behaviour.chunks = parseInteger(value.chunks, 'chunks', 0, MAX_CHUNKS);
  }
  if (value.chunkDelayMs !== undefined) {
    behaviour.chunkDelayMs = parseInteger(value.chunkDelayMs, 'chunkDelayMs', 0, MAX_DELAY_MS);
  }
  if (value.holdAfterFirstChunk !== undefined) {
    if (typeof value.holdAfterFirstChunk !== 'boolean') {
      throw createControlError("Invalid 'holdAfterFirstChunk': expected a boolean.");
    }
    behaviour.holdAfterFirstChunk = value.holdAfterFirstChunk;
  }
  if (value.usage !== undefined) {
    behaviour.usage = parseUsageOverride(value.usage);
  }
  if (value.count !== undefined) {
    behaviour.count = parseInteger(value.count, 'count', 1, Number.MAX_SAFE_INTEGER);
  }
  if (value.match !== undefined) {
    behaviour.match = parseMatch(value.match);
  }
  return behaviour;
}

/**
 * The current behaviour and how many more matching requests it applies to. Requests that
 * do not match get a normal reply and do not use up `count`.
 */
export class BehaviourController {
  #behaviour: Behaviour = { mode: 'normal' };
  #remaining: number | undefined;

  set(behaviour: Behaviour): void {
    this.#behaviour = behaviour;
    this.#remaining = behaviour.count;
  }

  reset(): void {
    this.set({ mode: 'normal' });
  }

  describe(): { behaviour: Behaviour; remaining: number | null } {
    return { behaviour: this.#behaviour, remaining: this.#remaining ?? null };
  }

  /** Returns the behaviour for one request and counts it against `count`. */
  take(request: RecordedRequest): Behaviour {
    const behaviour = this.#behaviour;
    if (!matchesRequest(behaviour.match, request)) {
      return { mode: 'normal' };
    }
    if (this.#remaining !== undefined) {
      this.#remaining -= 1;
      if (this.#remaining <= 0) {
        this.reset();
      }
    }
    return behaviour;
  }
}

/**
 * Responses waiting in `holdAfterFirstChunk` until `POST /_control/release`. Each wait also
 * ends when its signal aborts: the client went away or the server is closing.
 */
export class HeldResponses {
  readonly #releases = new Set<() => void>();

  get size(): number {
    return this.#releases.size;
  }

  wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const release = () => {
        signal.removeEventListener('abort', onAbort);
        this.#releases.delete(release);
        resolve();
      };
      const onAbort = () => {
        this.#releases.delete(release);
        reject(signal.reason);
      };
      this.#releases.add(release);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Lets every held response continue and returns how many there were. */
  releaseAll(): number {
    const releases = [...this.#releases];
    for (const release of releases) {
      release();
    }
    return releases.length;
  }
}

function matchesRequest(match: BehaviourMatch | undefined, request: RecordedRequest): boolean {
  if (match === undefined) {
    return true;
  }
  return (
    (match.keySha256 === undefined || match.keySha256 === request.keySha256) &&
    (match.model === undefined || match.model === request.model) &&
    (match.path === undefined || match.path === request.path)
  );
}

function parseMatch(value: unknown): BehaviourMatch {
  if (!isRecord(value)) {
    throw createControlError("Invalid 'match': expected an object.");
  }
  const match: BehaviourMatch = {};
  for (const [field, fieldValue] of Object.entries(value)) {
    if (!matchFields.has(field)) {
      throw createControlError(
        `Unknown match field '${field}'. Known fields: ${[...matchFields].join(', ')}.`,
      );
    }
    if (typeof fieldValue !== 'string') {
      throw createControlError(`Invalid 'match.${field}': expected a string.`);
    }
  }
  if (typeof value.keySha256 === 'string') {
    if (!/^[0-9a-f]{64}$/.test(value.keySha256)) {
      throw createControlError("Invalid 'match.keySha256': expected 64 lowercase hex digits.");
    }
    match.keySha256 = value.keySha256;
  }
  if (typeof value.model === 'string') {
    match.model = value.model;
  }
  if (typeof value.path === 'string') {
    match.path = value.path;
  }
  return match;
}

function parseInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw createControlError(
      `Invalid '${field}' ${JSON.stringify(value)}: expected an integer from ${min} to ${max}.`,
    );
  }
  return value;
}

function parseRetryAfter(value: unknown): number | string {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    return value;
  }
  throw createControlError("Invalid 'retryAfter': expected seconds as a number or an HTTP date.");
}

function createControlError(message: string): OpenAiHttpError {
  return new OpenAiHttpError(400, message, { code: 'invalid_behaviour' });
}

function parseUsageOverride(value: unknown): UsageOverride {
  if (!isRecord(value)) throw createControlError("Invalid 'usage': expected an object.");
  const override: UsageOverride = {};
  for (const [field, entry] of Object.entries(value)) {
    if (field !== 'prompt_tokens' && field !== 'completion_tokens' && field !== 'cached_tokens') {
      throw createControlError(
        `Unknown usage field '${field}'. Known fields: prompt_tokens, completion_tokens, cached_tokens.`,
      );
    }
    override[field] = parseInteger(entry, `usage.${field}`, 0, 100_000_000);
  }
  return override;
}
