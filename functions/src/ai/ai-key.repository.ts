import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientConfig, integerEnv, requireEnv } from '../lib/env';

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
  client ??= new SecretsManagerClient(awsClientConfig('SECRETS_MANAGER_ENDPOINT'));
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
  if (!secretString) throw new Error('The platform key secret has no string value');
  const parsed = JSON.parse(secretString) as { apiKey?: unknown };
  if (typeof parsed.apiKey !== 'string' || parsed.apiKey === '') {
    throw new Error('The platform key secret has no apiKey field');
  }
  return parsed.apiKey;
}
