import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tenantKeySecretName } from '@creditgate/shared';
import { awsClientConfig, integerEnv, requireEnv } from '../lib/env';
import { traced } from '../lib/observability';

let client: SecretsManagerClient | undefined;
let cached: { apiKey: Promise<string>; expiresAt: number } | undefined;

/**
 * Returns the platform's upstream API key from the `AWSCURRENT` version of its secret,
 * cached per instance for `AI_KEY_CACHE_SECONDS` (default 60). The key never leaves the
 * proxy: it is not logged and not returned.
 */
export async function getPlatformApiKey(): Promise<string> {
  const now = Date.now();
  if (cached && cached.expiresAt > now) return cached.apiKey;
  client ??= traced(new SecretsManagerClient(awsClientConfig('SECRETS_MANAGER_ENDPOINT')));
  const apiKey = client
    .send(
      new GetSecretValueCommand({
        SecretId: requireEnv('PLATFORM_KEY_SECRET_ID'),
        VersionStage: 'AWSCURRENT',
      }),
    )
    .then((result) => parseApiKey(result.SecretString));
  cached = { apiKey, expiresAt: now + integerEnv('AI_KEY_CACHE_SECONDS', 60) * 1000 };
  apiKey.catch(() => {
    cached = undefined;
  });
  return apiKey;
}

/** Drops the cached key, so the next call reads the secret again (after an upstream 401). */
export function forgetPlatformApiKey(): void {
  cached = undefined;
}

function parseApiKey(secretString: string | undefined): string {
  if (!secretString) throw new Error('The key secret has no string value');
  const parsed = JSON.parse(secretString) as { apiKey?: unknown };
  if (typeof parsed.apiKey !== 'string' || parsed.apiKey === '') {
    throw new Error('The key secret has no apiKey field');
  }
  return parsed.apiKey;
}

const tenantKeys = new Map<string, { apiKey: Promise<string>; expiresAt: number }>();

/**
 * Returns a tenant's own upstream key from the `AWSCURRENT` version of its secret
 * `creditgate/tenants/<tenantId>/openai`, cached per instance for `AI_KEY_CACHE_SECONDS`
 * (default 60) like the platform key. The cache is keyed by the key's `setAt` as well, so a
 * replaced key is read again as soon as the call context shows the new `setAt`.
 */
export async function getTenantApiKey(tenantId: string, setAt: string): Promise<string> {
  const now = Date.now();
  const cacheKey = `${tenantId}#${setAt}`;
  const entry = tenantKeys.get(cacheKey);
  if (entry && entry.expiresAt > now) return entry.apiKey;
  client ??= traced(new SecretsManagerClient(awsClientConfig('SECRETS_MANAGER_ENDPOINT')));
  const apiKey = client
    .send(
      new GetSecretValueCommand({
        SecretId: tenantKeySecretName(tenantId),
        VersionStage: 'AWSCURRENT',
      }),
    )
    .then((result) => parseApiKey(result.SecretString));
  tenantKeys.set(cacheKey, {
    apiKey,
    expiresAt: now + integerEnv('AI_KEY_CACHE_SECONDS', 60) * 1000,
  });
  apiKey.catch(() => tenantKeys.delete(cacheKey));
  return apiKey;
}

/** Drops a tenant's cached key after upstream rejected it. */
export function forgetTenantApiKey(tenantId: string, setAt: string): void {
  tenantKeys.delete(`${tenantId}#${setAt}`);
}
