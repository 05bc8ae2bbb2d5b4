import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { tenantKeySecretName } from '@creditgate/shared';
import { awsClientConfig } from '../lib/env';
import { traced } from '../lib/observability';

/**
 * Secrets Manager access for tenants' own keys. Each key is its own secret
 * `creditgate/tenants/<tenantId>/openai`, holding `{"apiKey": "..."}` and tagged `tenantId`.
 * Values pass through unlogged; errors name the secret, never the value.
 */

/** Days a removed key's secret can still be restored; 7 is the minimum Secrets Manager allows. */
const RECOVERY_WINDOW_DAYS = 7;

let client: SecretsManagerClient | undefined;

function getClient(): SecretsManagerClient {
  client ??= traced(new SecretsManagerClient(awsClientConfig('SECRETS_MANAGER_ENDPOINT')));
  return client;
}

/**
 * Stores `apiKey` as the new current version of the tenant's secret. It creates the secret
 * on first use and restores one that a removal scheduled for deletion.
 */
export async function storeTenantKey(tenantId: string, apiKey: string): Promise<void> {
  const secretId = tenantKeySecretName(tenantId);
  const value = JSON.stringify({ apiKey });
  const tags = [{ Key: 'tenantId', Value: tenantId }];
  try {
    await getClient().send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
    return;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') {
      await getClient().send(
        new CreateSecretCommand({
          Name: secretId,
          SecretString: value,
          Description: `OpenAI key of tenant ${tenantId}`,
          Tags: tags,
        }),
      );
      return;
    }
    // A secret scheduled for deletion rejects new values until it is restored.
    if (errorName(error) !== 'InvalidRequestException') throw error;
  }
  await getClient().send(new RestoreSecretCommand({ SecretId: secretId }));
  await getClient().send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
  await getClient().send(new TagResourceCommand({ SecretId: secretId, Tags: tags }));
}

/**
 * Schedules the tenant's secret for deletion after the recovery window. A secret that is
 * already gone or scheduled counts as deleted.
 */
export async function deleteTenantKeySecret(tenantId: string): Promise<void> {
  try {
    await getClient().send(
      new DeleteSecretCommand({
        SecretId: tenantKeySecretName(tenantId),
        RecoveryWindowInDays: RECOVERY_WINDOW_DAYS,
      }),
    );
  } catch (error) {
    const name = errorName(error);
    if (name === 'ResourceNotFoundException' || name === 'InvalidRequestException') return;
    throw error;
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
