import { optionalEnv, requireEnv } from '../lib/env';

/**
 * Calls to OpenAI about keys: the Admin API's project service accounts, which mint and
 * revoke keys, and a model list request that tests a key. Errors name the operation and the
 * HTTP status only. Upstream error bodies are never passed on, because OpenAI's messages
 * quote part of a rejected key.
 */

/** Time limit of each request, in milliseconds. */
const REQUEST_TIMEOUT_MS = 10_000;

/** A failed call to OpenAI. The message is safe to log and to show to a SuperAdmin. */
export class UpstreamKeyError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UpstreamKeyError';
  }
}

/** A key minted for a new service account. `apiKey` is returned by OpenAI this once only. */
export interface MintedKey {
  serviceAccountId: string;
  keyId: string;
  apiKey: string;
}

/** Base URL of the Admin API: `OPENAI_ADMIN_BASE_URL`, else `OPENAI_BASE_URL`. */
function adminBaseUrl(): string {
  return (optionalEnv('OPENAI_ADMIN_BASE_URL') ?? requireEnv('OPENAI_BASE_URL')).replace(
    /\/+$/,
    '',
  );
}

function serviceAccountsUrl(projectId: string): string {
  return `${adminBaseUrl()}/organization/projects/${encodeURIComponent(projectId)}/service_accounts`;
}

/**
 * Creates a service account in `projectId`, which gives it a new API key
 * (`POST /organization/projects/{project_id}/service_accounts`).
 */
export async function createServiceAccountKey(input: {
  adminKey: string;
  projectId: string;
  name: string;
}): Promise<MintedKey> {
  const operation = `creating a service account in project ${input.projectId}`;
  const response = await send(operation, serviceAccountsUrl(input.projectId), {
    method: 'POST',
    headers: { authorization: `Bearer ${input.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: input.name }),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new UpstreamKeyError(
      `The OpenAI Admin API returned HTTP ${response.status} to ${operation}`,
      response.status,
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    | { id?: unknown; api_key?: { id?: unknown; value?: unknown } | null }
    | undefined;
  const serviceAccountId = body?.id;
  const keyId = body?.api_key?.id;
  const apiKey = body?.api_key?.value;
  if (
    typeof serviceAccountId !== 'string' ||
    typeof keyId !== 'string' ||
    typeof apiKey !== 'string' ||
    !apiKey.startsWith('sk-')
  ) {
    throw new UpstreamKeyError(
      `The OpenAI Admin API returned no service account id, key id and key after ${operation}`,
    );
  }
  return { serviceAccountId, keyId, apiKey };
}

/**
 * Deletes a service account, which revokes its keys at once. Returns `not-found` when the
 * account no longer exists, which also means its keys are revoked.
 */
export async function deleteServiceAccount(input: {
  adminKey: string;
  projectId: string;
  serviceAccountId: string;
}): Promise<'deleted' | 'not-found'> {
  const operation = `deleting service account ${input.serviceAccountId} of project ${input.projectId}`;
  const url = `${serviceAccountsUrl(input.projectId)}/${encodeURIComponent(input.serviceAccountId)}`;
  const response = await send(operation, url, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${input.adminKey}` },
  });
  await response.body?.cancel();
  if (response.status === 404) return 'not-found';
  if (!response.ok) {
    throw new UpstreamKeyError(
      `The OpenAI Admin API returned HTTP ${response.status} to ${operation}`,
      response.status,
    );
  }
  return 'deleted';
}

/**
 * Tests a key with `GET {OPENAI_BASE_URL}/models`, which costs nothing. Returns null when
 * upstream accepts the key, else the reason it failed.
 */
export async function findKeyProblem(apiKey: string): Promise<string | null> {
  const url = `${requireEnv('OPENAI_BASE_URL').replace(/\/+$/, '')}/models`;
  let response: Response;
  try {
    response = await send('GET /models', url, {
      method: 'GET',
      headers: { authorization: `Bearer ${apiKey}` },
    });
  } catch (error) {
    return (error as Error).message;
  }
  await response.body?.cancel();
  if (response.ok) return null;
  if (response.status === 401 || response.status === 403) {
    return `The AI provider rejected the key: GET /models returned HTTP ${response.status}`;
  }
  return `The AI provider returned HTTP ${response.status} to GET /models with the key`;
}

async function send(operation: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const isTimeout = error instanceof Error && error.name === 'TimeoutError';
    throw new UpstreamKeyError(
      isTimeout
        ? `The AI provider did not answer ${operation} within ${REQUEST_TIMEOUT_MS} ms`
        : `The AI provider could not be reached for ${operation}`,
    );
  }
}
