import { createHash, randomBytes } from 'node:crypto';
import { isRecord } from './json-body.js';
import {
  createInvalidTypeError,
  createInvalidUrlError,
  createMissingParameterError,
  OpenAiHttpError,
} from './openai-error.js';
import { createJsonReply, type JsonReply } from './upstream-reply.js';

/** Admin endpoints accept only bearer keys with this prefix, as OpenAI's admin keys have. */
export const ADMIN_KEY_PREFIX = 'sk-admin-';
/** Prefix of every key minted for a service account. */
export const SERVICE_ACCOUNT_KEY_PREFIX = 'sk-svcacct-';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

interface ServiceAccountRecord {
  id: string;
  projectId: string;
  name: string;
  role: 'member' | 'none';
  createdAt: number;
}

interface ApiKeyRecord {
  id: string;
  projectId: string;
  serviceAccountId: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  keySha256: string;
  redactedValue: string;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Service accounts and their keys, modelled on OpenAI's Admin API (project service accounts
 * and project API keys). Only SHA-256 hashes of minted keys are kept. Deleting a key or its
 * service account revokes the key, and `isRevoked` then makes model endpoints return 401.
 */
export class KeyRegistry {
  readonly #accounts = new Map<string, ServiceAccountRecord>();
  readonly #keys = new Map<string, ApiKeyRecord>();
  readonly #keyIdsBySha256 = new Map<string, string>();
  readonly #revokedSha256 = new Set<string>();

  isRevoked(keySha256: string): boolean {
    return this.#revokedSha256.has(keySha256);
  }

  /** Sets `last_used_at` of a minted key; other keys are ignored. */
  recordUse(keySha256: string): void {
    const keyId = this.#keyIdsBySha256.get(keySha256);
    const key = keyId === undefined ? undefined : this.#keys.get(keyId);
    if (key !== undefined) {
      key.lastUsedAt = nowSeconds();
    }
  }

  /**
   * Serves `/v1/organization/projects/{project_id}/...` given the path segments after
   * `projects`. The caller has already checked the admin key.
   */
  handle(method: string, segments: string[], query: URLSearchParams, body: unknown): JsonReply {
    const [projectId, collection, id, subCollection, ...rest] = segments;
    if (projectId === undefined || projectId === '' || rest.length > 0) {
      throw createProjectUrlError(method, segments);
    }
    if (collection === 'service_accounts') {
      if (id === undefined && method === 'POST') {
        return this.#createServiceAccount(projectId, body);
      }
      if (id === undefined && method === 'GET') {
        const accounts = [...this.#accounts.values()].filter(
          (account) => account.projectId === projectId,
        );
        return createJsonReply(200, paginate(accounts.map(toServiceAccountObject), query));
      }
      if (id !== undefined && subCollection === undefined && method === 'GET') {
        return createJsonReply(200, toServiceAccountObject(this.#requireAccount(projectId, id)));
      }
      if (id !== undefined && subCollection === undefined && method === 'DELETE') {
        return this.#deleteServiceAccount(projectId, id);
      }
      if (id !== undefined && subCollection === 'api_keys' && method === 'POST') {
        return this.#createKeyForAccount(projectId, id, body);
      }
    }
    if (collection === 'api_keys' && subCollection === undefined) {
      if (id === undefined && method === 'GET') {
        const keys = [...this.#keys.values()].filter((key) => key.projectId === projectId);
        return createJsonReply(
          200,
          paginate(
            keys.map((key) => this.#toApiKeyObject(key)),
            query,
          ),
        );
      }
      if (id !== undefined && method === 'GET') {
        return createJsonReply(200, this.#toApiKeyObject(this.#requireKey(projectId, id)));
      }
      if (id !== undefined && method === 'DELETE') {
        // NOTE: the openai SDK 6.49 doc comment states that this endpoint rejects keys owned by
        // a service account, but OpenAI's API reference page for it (updated 2026-11-17) states
        // that it deletes them. This server deletes them and keeps the service account.
        const key = this.#requireKey(projectId, id);
        this.#revokeKey(key);
        return createJsonReply(200, {
          object: 'organization.project.api_key.deleted',
          id: key.id,
          deleted: true,
        });
      }
    }
    throw createProjectUrlError(method, segments);
  }

  #createServiceAccount(projectId: string, body: unknown): JsonReply {
    const name = parseName(body, true);
    const isAccountOnly = isRecord(body) && body.create_service_account_only === true;
    const account: ServiceAccountRecord = {
      id: `svc_acct_${randomBytes(12).toString('hex')}`,
      projectId,
      name,
      role: isAccountOnly ? 'none' : 'member',
      createdAt: nowSeconds(),
    };
    this.#accounts.set(account.id, account);
    const apiKey = isAccountOnly ? null : this.#mintKey(account, 'Secret Key');
    return createJsonReply(200, { ...toServiceAccountObject(account), api_key: apiKey });
  }

  #createKeyForAccount(projectId: string, accountId: string, body: unknown): JsonReply {
    const account = this.#requireAccount(projectId, accountId);
    const name = isRecord(body) && body.name !== undefined ? parseName(body, false) : 'Secret Key';
    return createJsonReply(200, this.#mintKey(account, name));
  }

  #deleteServiceAccount(projectId: string, accountId: string): JsonReply {
    const account = this.#requireAccount(projectId, accountId);
    for (const key of [...this.#keys.values()]) {
      if (key.serviceAccountId === account.id) {
        this.#revokeKey(key);
      }
    }
    this.#accounts.delete(account.id);
    return createJsonReply(200, {
      object: 'organization.project.service_account.deleted',
      id: account.id,
      deleted: true,
    });
  }

  /** Creates a key and returns its one response that carries the unredacted value. */
  #mintKey(account: ServiceAccountRecord, name: string): Record<string, unknown> {
    const value = `${SERVICE_ACCOUNT_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const key: ApiKeyRecord = {
      id: `key_${randomBytes(12).toString('hex')}`,
      projectId: account.projectId,
      serviceAccountId: account.id,
      name,
      createdAt: nowSeconds(),
      lastUsedAt: null,
      keySha256: hashKey(value),
      redactedValue: `${SERVICE_ACCOUNT_KEY_PREFIX}...${value.slice(-4)}`,
    };
    this.#keys.set(key.id, key);
    this.#keyIdsBySha256.set(key.keySha256, key.id);
    return {
      object: 'organization.project.service_account.api_key',
      value,
      name: key.name,
      created_at: key.createdAt,
      id: key.id,
    };
  }

  #revokeKey(key: ApiKeyRecord): void {
    this.#revokedSha256.add(key.keySha256);
    this.#keyIdsBySha256.delete(key.keySha256);
    this.#keys.delete(key.id);
  }

  #requireAccount(projectId: string, accountId: string): ServiceAccountRecord {
    const account = this.#accounts.get(accountId);
    if (account === undefined || account.projectId !== projectId) {
      throw new OpenAiHttpError(
        404,
        `No service account with id '${accountId}' was found in project '${projectId}'.`,
      );
    }
    return account;
  }

  #requireKey(projectId: string, keyId: string): ApiKeyRecord {
    const key = this.#keys.get(keyId);
    if (key === undefined || key.projectId !== projectId) {
      throw new OpenAiHttpError(
        404,
        `No API key with id '${keyId}' was found in project '${projectId}'.`,
      );
    }
    return key;
  }

  #toApiKeyObject(key: ApiKeyRecord): Record<string, unknown> & { id: string } {
    const account = this.#accounts.get(key.serviceAccountId);
    return {
      object: 'organization.project.api_key',
      id: key.id,
      name: key.name,
      redacted_value: key.redactedValue,
      created_at: key.createdAt,
      last_used_at: key.lastUsedAt,
      owner: {
        type: 'service_account',
        service_account: account === undefined ? undefined : toServiceAccountObject(account),
      },
      owner_project_access: 'active',
    };
  }
}

function toServiceAccountObject(
  account: ServiceAccountRecord,
): Record<string, unknown> & { id: string } {
  return {
    object: 'organization.project.service_account',
    id: account.id,
    name: account.name,
    role: account.role,
    created_at: account.createdAt,
  };
}

/** Applies OpenAI's cursor paging: `limit` (1 to 100, default 20) and `after` (an object id). */
function paginate(items: Array<{ id: string }>, query: URLSearchParams): Record<string, unknown> {
  const limitText = query.get('limit');
  const limit = limitText === null ? DEFAULT_PAGE_SIZE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new OpenAiHttpError(
      400,
      `Invalid 'limit': expected an integer from 1 to ${MAX_PAGE_SIZE}, got '${limitText}'.`,
      {
        param: 'limit',
        code: 'invalid_value',
      },
    );
  }
  const after = query.get('after');
  const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
  const page = items.slice(start, start + limit);
  return {
    object: 'list',
    data: page,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
    has_more: start + limit < items.length,
  };
}

function parseName(body: unknown, isRequired: boolean): string {
  const name = isRecord(body) ? body.name : undefined;
  if (name === undefined || name === null) {
    if (isRequired) {
      throw createMissingParameterError('name');
    }
    return 'Secret Key';
  }
  if (typeof name !== 'string' || name.trim() === '') {
    throw createInvalidTypeError('name', 'a non-empty string');
  }
  return name;
}

function createProjectUrlError(method: string, segments: string[]): OpenAiHttpError {
  return createInvalidUrlError(method, ['/v1/organization/projects', ...segments].join('/'));
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
