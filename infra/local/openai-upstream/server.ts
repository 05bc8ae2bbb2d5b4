/**
 * A local OpenAI-compatible upstream for local mode and tests. It serves chat completions
 * (JSON and SSE), embeddings, the model list and the Admin API endpoints for project service
 * account keys, with deterministic replies and usage. A control API under `/_control` on the
 * same port records requests and makes later requests fail, stall or stream slowly.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIPv4 } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashKey, KeyRegistry } from './admin-keys.js';
import { routeApiRequest } from './api-routes.js';
import {
  type Behaviour,
  BehaviourController,
  HeldResponses,
  type RecordedRequest,
  RequestLog,
} from './control.js';
import { handleControlRequest } from './control-routes.js';
import { deliverReply } from './deliver-reply.js';
import { isRecord, type ParsedBody, readJsonBody } from './json-body.js';
import { createInvalidUrlError, createSimulatedErrorBody } from './openai-error.js';
import { createJsonReply, type JsonReply } from './upstream-reply.js';

export { ADMIN_KEY_PREFIX, hashKey, SERVICE_ACCOUNT_KEY_PREFIX } from './admin-keys.js';
export {
  CACHED_PREFIX_MIN_BYTES,
  type ChatCompletionRequest,
  type ChatUsage,
  computeUsage,
  REASONING_TOKENS,
} from './chat-completions.js';
export type { Behaviour, BehaviourMatch, BehaviourMode, RecordedRequest } from './control.js';
export { computeEmbedding, DEFAULT_EMBEDDING_DIMENSIONS } from './embeddings.js';

export interface OpenAiUpstreamOptions {
  /** TCP port; 0 picks a free port. @default 0 */
  port?: number;
  /** Loopback address to bind: `127.0.0.1` (or another 127.x address), `::1` or `localhost`. @default '127.0.0.1' */
  host?: string;
}

export interface OpenAiUpstream {
  /** Base URL without `/v1`, such as `http://127.0.0.1:43123`. */
  url: string;
  port: number;
  /** Stops listening and drops open connections, held and hanging requests included. */
  close(): Promise<void>;
}

interface UpstreamState {
  requests: RequestLog;
  behaviour: BehaviourController;
  heldResponses: HeldResponses;
  keys: KeyRegistry;
  /** Aborts when `close()` is called, ending every delay, hold and hang. */
  lifetime: AbortController;
}

/**
 * Starts the upstream on a loopback address. Throws for a host that is not loopback and
 * rejects when the port cannot be bound.
 */
export async function startOpenAiUpstream(
  options: OpenAiUpstreamOptions = {},
): Promise<OpenAiUpstream> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  assertLoopbackHost(host);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `Invalid port ${port}: expected an integer from 0 to 65535 (0 picks a free port).`,
    );
  }

  const state: UpstreamState = {
    requests: new RequestLog(),
    behaviour: new BehaviourController(),
    heldResponses: new HeldResponses(),
    keys: new KeyRegistry(),
    lifetime: new AbortController(),
  };
  const server = createServer((request, response) => {
    void handleRequest(request, response, state);
  });
  await listen(server, port, host);

  const boundPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${boundPort}`,
    port: boundPort,
    close: () => {
      closing ??= closeServer(server, state.lifetime);
      return closing;
    },
  };
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  state: UpstreamState,
): Promise<void> {
  // One signal per request that aborts when the client goes away or the server closes. The
  // listener on the server's signal is removed on close so that it does not pile up.
  const requestAbort = new AbortController();
  const abortRequest = () => requestAbort.abort(state.lifetime.signal.reason);
  state.lifetime.signal.addEventListener('abort', abortRequest, { once: true });
  response.once('close', () => {
    state.lifetime.signal.removeEventListener('abort', abortRequest);
    requestAbort.abort();
  });
  const signal = requestAbort.signal;
  const method = request.method ?? 'GET';
  const url = parseRequestUrl(request.url);

  try {
    const body = await readJsonBody(request);
    const normal: Behaviour = { mode: 'normal' };
    if (url.pathname.startsWith('/_control/')) {
      const reply = handleControlRequest(method, url.pathname, body, state);
      await deliverReply(response, reply, {
        behaviour: normal,
        heldResponses: state.heldResponses,
        signal,
        headers: {},
      });
      return;
    }
    if (url.pathname.startsWith('/v1/')) {
      await handleApiRequest(request, response, { url, body, signal }, state);
      return;
    }
    const reply = createJsonReply(404, createInvalidUrlError(method, url.pathname).toBody());
    await deliverReply(response, reply, {
      behaviour: normal,
      heldResponses: state.heldResponses,
      signal,
      headers: {},
    });
  } catch (error) {
    // An abort means the client left or the server is closing, so no response is sent.
    if (signal.aborted || response.destroyed) {
      response.destroy();
      return;
    }
    console.error(`openai-upstream: ${method} ${url.pathname} failed`, error);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const body = JSON.stringify(createSimulatedErrorBody(500));
    response.writeHead(500, { 'content-type': 'application/json' }).end(body);
  }
}

/**
 * Records the request, then replies as the current behaviour sets. The record comes first,
 * so requests that the behaviour rejects, resets or leaves hanging are listed too.
 */
async function handleApiRequest(
  request: IncomingMessage,
  response: ServerResponse,
  context: { url: URL; body: ParsedBody; signal: AbortSignal },
  state: UpstreamState,
): Promise<void> {
  const { url, body, signal } = context;
  const method = request.method ?? 'GET';
  const bearerKey = parseBearerKey(request.headers.authorization);
  const keySha256 = bearerKey === undefined ? null : hashKey(bearerKey);
  const json = body.kind === 'json' ? body.value : null;
  const entry: RecordedRequest = {
    time: new Date().toISOString(),
    requestId: `req_${randomBytes(16).toString('hex')}`,
    method,
    path: url.pathname,
    model: isRecord(json) && typeof json.model === 'string' ? json.model : null,
    stream: isRecord(json) && json.stream === true,
    stream_options: isRecord(json) ? (json.stream_options ?? null) : null,
    keySha256,
    body: json,
  };
  state.requests.add(entry);

  const behaviour = state.behaviour.take(entry);
  if (behaviour.delayMs !== undefined && behaviour.delayMs > 0) {
    await sleep(behaviour.delayMs, undefined, { signal });
  }
  if (behaviour.mode === 'reset-before-headers') {
    request.socket.resetAndDestroy();
    return;
  }
  if (behaviour.mode === 'hang') {
    await waitForAbort(signal);
    response.destroy();
    return;
  }

  const reply =
    behaviour.mode === 'status'
      ? buildStatusReply(behaviour)
      : routeApiRequest(
          { method, path: url.pathname, query: url.searchParams, body, bearerKey, keySha256 },
          state.keys,
          behaviour,
        );
  await deliverReply(response, reply, {
    behaviour,
    heldResponses: state.heldResponses,
    signal,
    headers: { 'x-request-id': entry.requestId },
  });
}

function buildStatusReply(behaviour: Behaviour): JsonReply {
  const status = behaviour.status ?? 500;
  const headers: Record<string, string> =
    behaviour.retryAfter === undefined ? {} : { 'retry-after': String(behaviour.retryAfter) };
  if (typeof behaviour.body === 'string') {
    return {
      kind: 'json',
      status,
      contentType: 'text/plain; charset=utf-8',
      text: behaviour.body,
      headers,
    };
  }
  return createJsonReply(status, behaviour.body ?? createSimulatedErrorBody(status), headers);
}

/** Parses the request target; a target that is not a valid URL falls back to `/`, a 404. */
function parseRequestUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return new URL('/', 'http://127.0.0.1');
  }
}

function parseBearerKey(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function assertLoopbackHost(host: string): void {
  const isLoopback =
    host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
  if (!isLoopback) {
    throw new Error(
      `Invalid host '${host}': the local OpenAI upstream binds only to loopback (127.0.0.1, ::1 or localhost).`,
    );
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Ends pending delays, held responses and hangs first, then closes every connection. */
function closeServer(server: Server, lifetime: AbortController): Promise<void> {
  lifetime.abort(new Error('The local OpenAI upstream is closing.'));
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    });
    server.closeAllConnections();
  });
}
