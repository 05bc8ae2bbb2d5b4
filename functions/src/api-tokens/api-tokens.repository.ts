import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@creditgate/shared';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { decodeCursor, encodeCursor } from '../lib/db/cursor';
import { isConditionalCheckFailed } from '../lib/db/errors';
import { keys, tenantPartition } from '../lib/db/keys';

/** A personal API token as stored: never the token, only its hash. */
export interface ApiTokenRecord {
  tokenId: string;
  tenantId: string;
  userId: string;
  name: string;
  tokenHash: string;
  status: 'ACTIVE' | 'REVOKED';
  createdAt: string;
  /** Epoch seconds after which the token no longer works; absent for tokens without expiry. */
  tokenExpiresAt?: number;
  lastUsedAt?: string;
  revokedAt?: string;
}

/** Days a revoked or expired token's record stays listed before DynamoDB's TTL removes it. */
const RETENTION_SECONDS = 30 * 24 * 60 * 60;

/** Most tokens one user may hold at once. */
export const MAX_TOKENS_PER_USER = 20;

export async function putApiToken(record: ApiTokenRecord): Promise<void> {
  await getDocumentClient().send(
    new PutCommand({
      TableName: getTableName(),
      Item: {
        ...keys.apiToken(record.tenantId, record.userId, record.tokenId),
        entityType: 'ApiToken',
        ...record,
        ...(record.tokenExpiresAt && { expiresAt: record.tokenExpiresAt + RETENTION_SECONDS }),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getApiToken(
  tenantId: string,
  userId: string,
  tokenId: string,
): Promise<ApiTokenRecord | undefined> {
  const result = await getDocumentClient().send(
    new GetCommand({
      TableName: getTableName(),
      Key: keys.apiToken(tenantId, userId, tokenId),
      ConsistentRead: true,
    }),
  );
  return result.Item ? toRecord(result.Item) : undefined;
}

/** Lists one user's tokens, newest first. */
export async function listApiTokens(
  tenantId: string,
  userId: string,
  page: { limit?: number; cursor?: string },
) {
  const scope = {
    partition: tenantPartition(tenantId),
    sortKeyPrefix: keys.apiTokenPrefix(userId),
  };
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': scope.partition, ':prefix': scope.sortKeyPrefix },
      ScanIndexForward: false,
      Limit: page.limit ?? 50,
      ExclusiveStartKey: decodeCursor(scope, page.cursor),
      ConsistentRead: true,
    }),
  );
  return {
    items: (result.Items ?? []).map(toRecord),
    nextCursor: encodeCursor(scope, result.LastEvaluatedKey),
  };
}

/** Revokes a token of its owner; a missing one, or another user's, answers 404. */
export async function revokeApiToken(
  tenantId: string,
  userId: string,
  tokenId: string,
  now: string,
): Promise<void> {
  try {
    await getDocumentClient().send(
      new UpdateCommand({
        TableName: getTableName(),
        Key: keys.apiToken(tenantId, userId, tokenId),
        UpdateExpression: 'SET #status = :revoked, revokedAt = if_not_exists(revokedAt, :now)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':revoked': 'REVOKED', ':now': now },
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error))
      throw new AppError('NOT_FOUND', 'API token not found', { cause: error });
    throw error;
  }
}

/**
 * Returns the update that checks a token inside an AI call's hold transaction and records
 * its use: the hash must match, the token must be active and not expired.
 */
export function apiTokenUseItem(input: {
  tenantId: string;
  userId: string;
  tokenId: string;
  tokenHash: string;
  now: string;
}) {
  return {
    Update: {
      TableName: getTableName(),
      Key: keys.apiToken(input.tenantId, input.userId, input.tokenId),
      UpdateExpression: 'SET lastUsedAt = :now',
      ConditionExpression:
        'tokenHash = :hash AND #status = :active AND (attribute_not_exists(tokenExpiresAt) OR tokenExpiresAt > :nowSeconds)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':now': input.now,
        ':hash': input.tokenHash,
        ':active': 'ACTIVE',
        ':nowSeconds': Math.floor(Date.parse(input.now) / 1000),
      },
    },
  };
}

function toRecord(item: Record<string, unknown>): ApiTokenRecord {
  return {
    tokenId: item.tokenId as string,
    tenantId: item.tenantId as string,
    userId: item.userId as string,
    name: item.name as string,
    tokenHash: item.tokenHash as string,
    status: item.status as ApiTokenRecord['status'],
    createdAt: item.createdAt as string,
    ...(item.tokenExpiresAt !== undefined && { tokenExpiresAt: Number(item.tokenExpiresAt) }),
    ...(item.lastUsedAt !== undefined && { lastUsedAt: item.lastUsedAt as string }),
    ...(item.revokedAt !== undefined && { revokedAt: item.revokedAt as string }),
  };
}
