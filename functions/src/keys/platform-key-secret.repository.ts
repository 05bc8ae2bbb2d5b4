import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { awsClientConfig, requireEnv } from '../lib/env';
import { traced } from '../lib/observability';
import { AWSCURRENT, parseJsonObject, type SecretDescription } from './platform-key.model';

/**
 * Secrets Manager access for the platform key: its secret (`PLATFORM_KEY_SECRET_ID`) and the
 * Admin API key's secret (`OPENAI_ADMIN_KEY_SECRET_ID`). Values pass through this module
 * unlogged; errors name versions and labels, never values.
 */

let client: SecretsManagerClient | undefined;

function getClient(): SecretsManagerClient {
  client ??= traced(new SecretsManagerClient(awsClientConfig('SECRETS_MANAGER_ENDPOINT')));
  return client;
}

/** Returns the id (name or ARN) of the platform key secret from the environment. */
export function getPlatformSecretId(): string {
  return requireEnv('PLATFORM_KEY_SECRET_ID');
}

/** Reads the secret's rotation settings and the staging labels of its labelled versions. */
export async function describeSecret(secretId: string): Promise<SecretDescription> {
  const result = await getClient().send(new DescribeSecretCommand({ SecretId: secretId }));
  return {
    arn: result.ARN ?? secretId,
    isRotationEnabled: result.RotationEnabled === true,
    isDeleted: result.DeletedDate !== undefined,
    versionStages: result.VersionIdsToStages ?? {},
    lastRotatedAt: result.LastRotatedDate?.toISOString() ?? null,
    nextRotationAt: result.NextRotationDate?.toISOString() ?? null,
  };
}

/**
 * Reads the string value of one version. Returns undefined when the version does not exist,
 * does not carry `stage`, or has no value yet, as the `AWSPENDING` version that RotateSecret
 * creates has until the createSecret step stores one.
 */
export async function readVersionValue(
  secretId: string,
  versionId: string,
  stage?: string,
): Promise<string | undefined> {
  try {
    const result = await getClient().send(
      new GetSecretValueCommand({ SecretId: secretId, VersionId: versionId, VersionStage: stage }),
    );
    return result.SecretString;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Stores a JSON value as version `versionId` with the given staging labels. Repeating the
 * call with the same version id and value changes nothing, as Secrets Manager treats it as a
 * retry.
 */
export async function putVersionValue(input: {
  secretId: string;
  versionId: string;
  value: object;
  stages: string[];
}): Promise<void> {
  await getClient().send(
    new PutSecretValueCommand({
      SecretId: input.secretId,
      ClientRequestToken: input.versionId,
      SecretString: JSON.stringify(input.value),
      VersionStages: input.stages,
    }),
  );
}

/** Detaches a staging label from a version. */
export async function removeStage(input: {
  secretId: string;
  stage: string;
  versionId: string;
}): Promise<void> {
  await getClient().send(
    new UpdateSecretVersionStageCommand({
      SecretId: input.secretId,
      VersionStage: input.stage,
      RemoveFromVersionId: input.versionId,
    }),
  );
}

/**
 * Moves `AWSCURRENT` to `toVersionId`. Secrets Manager then labels the version that lost it
 * `AWSPREVIOUS`. `fromVersionId` must name the version that has `AWSCURRENT` now, so of two
 * callers racing to move the label only one succeeds.
 */
export async function moveCurrentStage(input: {
  secretId: string;
  toVersionId: string;
  fromVersionId: string | undefined;
}): Promise<void> {
  await getClient().send(
    new UpdateSecretVersionStageCommand({
      SecretId: input.secretId,
      VersionStage: AWSCURRENT,
      MoveToVersionId: input.toVersionId,
      RemoveFromVersionId: input.fromVersionId,
    }),
  );
}

/**
 * Starts a rotation with the rotation function and schedule configured on the secret; the
 * new version's id is `versionId`. Secrets Manager returns at once and rotates in the
 * background. The local endpoint runs every step before it returns.
 */
export async function rotateSecret(input: { secretId: string; versionId: string }) {
  await getClient().send(
    new RotateSecretCommand({ SecretId: input.secretId, ClientRequestToken: input.versionId }),
  );
}

/** Lists the labelled versions with their creation time (ISO 8601). */
export async function listVersions(
  secretId: string,
): Promise<{ versionId: string; stages: string[]; createdAt: string | null }[]> {
  const versions: { versionId: string; stages: string[]; createdAt: string | null }[] = [];
  let nextToken: string | undefined;
  // A secret has at most 100 versions, so one page of 100 normally covers it.
  for (let page = 0; page < 10; page++) {
    const result = await getClient().send(
      new ListSecretVersionIdsCommand({
        SecretId: secretId,
        MaxResults: 100,
        NextToken: nextToken,
      }),
    );
    for (const version of result.Versions ?? []) {
      if (!version.VersionId) continue;
      versions.push({
        versionId: version.VersionId,
        stages: version.VersionStages ?? [],
        createdAt: version.CreatedDate?.toISOString() ?? null,
      });
    }
    nextToken = result.NextToken;
    if (!nextToken) break;
  }
  return versions;
}

/** Reads the OpenAI Admin API key from its secret, `{"adminKey": "sk-admin-..."}`. */
export async function readAdminKey(): Promise<string> {
  const secretId = requireEnv('OPENAI_ADMIN_KEY_SECRET_ID');
  const result = await getClient().send(
    new GetSecretValueCommand({ SecretId: secretId, VersionStage: AWSCURRENT }),
  );
  const adminKey = parseJsonObject(result.SecretString, 'admin key secret').adminKey;
  if (typeof adminKey !== 'string' || adminKey === '') {
    throw new Error('The admin key secret has no adminKey field');
  }
  return adminKey;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}
