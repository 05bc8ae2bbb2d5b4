import { ADMIN_KEY_PREFIX, type KeyRegistry } from './admin-keys.js';
import { buildChatReply, parseChatRequest } from './chat-completions.js';
import type { Behaviour } from './control.js';
import { buildEmbeddingsReply } from './embeddings.js';
import type { ParsedBody } from './json-body.js';
import { MAX_BODY_BYTES } from './json-body.js';
import { throwModelNotFound, toModelObject, upstreamModels } from './models.js';
import { createInvalidUrlError, OpenAiHttpError } from './openai-error.js';
import { createJsonReply, type UpstreamReply } from './upstream-reply.js';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: ParsedBody;
  /** The bearer key, or undefined when the request has no `Authorization: Bearer` header. */
  bearerKey: string | undefined;
  keySha256: string | null;
}

/**
 * Serves one `/v1/*` request the way OpenAI would, checking the key first. Errors become
 * OpenAI-shaped JSON replies; `chunks` and `no-usage` from the behaviour shape the reply.
 */
export function routeApiRequest(
  request: ApiRequest,
  keys: KeyRegistry,
  behaviour: Behaviour,
): UpstreamReply {
  try {
    return dispatchApiRequest(request, keys, behaviour);
  } catch (error) {
    if (error instanceof OpenAiHttpError) {
      return createJsonReply(error.status, error.toBody());
    }
    throw error;
  }
}

function dispatchApiRequest(
  request: ApiRequest,
  keys: KeyRegistry,
  behaviour: Behaviour,
): UpstreamReply {
  const { method, path } = request;
  const segments = splitPath(method, path);
  const isOmittingUsage = behaviour.mode === 'no-usage';

  if (path === '/v1/chat/completions' && method === 'POST') {
    requireApiKey(request, keys);
    const chatRequest = parseChatRequest(requireJsonBody(request.body));
    // In reset-mid-stream the chunk count is how many chunks go out before the reset.
    const chunks = behaviour.chunks ?? (behaviour.mode === 'reset-mid-stream' ? 2 : undefined);
    return buildChatReply(chatRequest, {
      stream: chatRequest.stream,
      includeUsage: chatRequest.includeUsage,
      omitUsage: isOmittingUsage,
      chunks,
      usageOverride: behaviour.usage,
    });
  }
  if (path === '/v1/embeddings' && method === 'POST') {
    requireApiKey(request, keys);
    return buildEmbeddingsReply(requireJsonBody(request.body), { omitUsage: isOmittingUsage });
  }
  if (segments[0] === 'models' && method === 'GET' && segments.length <= 2) {
    requireApiKey(request, keys);
    const modelId = segments[1];
    if (modelId === undefined) {
      return createJsonReply(200, { object: 'list', data: upstreamModels.map(toModelObject) });
    }
    const model = upstreamModels.find((candidate) => candidate.id === modelId);
    return createJsonReply(200, toModelObject(model ?? throwModelNotFound(modelId)));
  }
  if (segments[0] === 'organization' && segments[1] === 'projects') {
    requireAdminKey(request);
    const body = request.body.kind === 'empty' ? undefined : requireJsonBody(request.body);
    return keys.handle(method, segments.slice(2), request.query, body);
  }
  throw createInvalidUrlError(method, path);
}

/** Returns the decoded path segments after `/v1`; a malformed escape is a 404 like any bad URL. */
function splitPath(method: string, path: string): string[] {
  try {
    return path.split('/').slice(2).map(decodeURIComponent);
  } catch {
    throw createInvalidUrlError(method, path);
  }
}

/** Accepts keys that start with `sk-`, do not contain `invalid` and were not revoked. */
function requireApiKey(request: ApiRequest, keys: KeyRegistry): void {
  const key = requireBearerKey(request);
  if (!key.startsWith('sk-') || key.includes('invalid')) {
    throw new OpenAiHttpError(
      401,
      "Incorrect API key provided. The local upstream accepts keys that start with 'sk-' and do not contain 'invalid'.",
      { code: 'invalid_api_key' },
    );
  }
  if (request.keySha256 !== null && keys.isRevoked(request.keySha256)) {
    throw new OpenAiHttpError(
      401,
      'Incorrect API key provided. This key was revoked through the admin API.',
      { code: 'invalid_api_key' },
    );
  }
  if (request.keySha256 !== null) {
    keys.recordUse(request.keySha256);
  }
}

function requireAdminKey(request: ApiRequest): void {
  const key = requireBearerKey(request);
  if (!key.startsWith(ADMIN_KEY_PREFIX) || key.includes('invalid')) {
    throw new OpenAiHttpError(
      401,
      `Incorrect API key provided. Admin endpoints accept only admin keys, which start with '${ADMIN_KEY_PREFIX}'.`,
      { code: 'invalid_api_key' },
    );
  }
}

function requireBearerKey(request: ApiRequest): string {
  if (request.bearerKey === undefined) {
    throw new OpenAiHttpError(
      401,
      "You didn't provide an API key. Send it in an 'Authorization: Bearer sk-...' header.",
    );
  }
  return request.bearerKey;
}

function requireJsonBody(body: ParsedBody): unknown {
  if (body.kind === 'too-large') {
    throw new OpenAiHttpError(
      413,
      `The request body is larger than the local upstream's limit of ${MAX_BODY_BYTES} bytes.`,
    );
  }
  if (body.kind !== 'json') {
    throw new OpenAiHttpError(
      400,
      'We could not parse the JSON body of your request. Send a JSON object with content-type application/json.',
    );
  }
  return body.value;
}
