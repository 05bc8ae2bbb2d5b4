import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../audit/audit.model';
import { auditPut } from '../audit/audit.repository';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { cancellationCodes } from '../lib/db/errors';
import { keys } from '../lib/db/keys';
import { transactWrite } from '../lib/db/transact';
import type { KeyAccountRecord, KeySource, PlatformKeyState } from './platform-key.model';

/**
 * DynamoDB items of the platform key's rotation: the state item (current version, last
 * rotation, last failure) and one item per service account minted through the Admin API.
 * None of them contains a key.
 */

const STATE_ENTITY = 'PlatformKeyState';
const ACCOUNT_ENTITY = 'PlatformKeyAccount';
/** Bounds one listing of minted accounts; one is minted per rotation, so this is years. */
const MAX_ACCOUNT_PAGES = 20;

/** Reads the rotation state; empty before the first rotation. */
export async function getKeyState(): Promise<PlatformKeyState> {
  const result = await getDocumentClient().send(
    new GetCommand({
      TableName: getTableName(),
      Key: keys.platformKeyState(),
      ConsistentRead: true,
    }),
  );
  if (!result.Item) return {};
  const item = result.Item;
  return {
    currentVersionId: item.currentVersionId as string | undefined,
    lastRotatedAt: item.lastRotatedAt as string | undefined,
    lastRotationSource: item.lastRotationSource as KeySource | undefined,
    lastFailure: item.lastFailure as PlatformKeyState['lastFailure'],
  };
}

/**
 * Records that `versionId` became current, with its audit entry. Returns false, writing
 * nothing, when this version is already recorded as current, so a repeated finishSecret
 * step appends no second entry.
 */
export async function recordRotation(input: {
  versionId: string;
  source: KeySource;
  rotatedAt: string;
  audit: AuditEntry;
}): Promise<boolean> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: getTableName(),
            Key: keys.platformKeyState(),
            UpdateExpression:
              'SET entityType = :entity, currentVersionId = :versionId, lastRotatedAt = :rotatedAt, lastRotationSource = :source',
            // Only a version not yet recorded as current, so a retried step is a no-op.
            ConditionExpression:
              'attribute_not_exists(currentVersionId) OR currentVersionId <> :versionId',
            ExpressionAttributeValues: {
              ':entity': STATE_ENTITY,
              ':versionId': input.versionId,
              ':rotatedAt': input.rotatedAt,
              ':source': input.source,
            },
          },
        },
        auditPut(input.audit),
      ],
    });
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** Records a failed rotation or revocation step as the last failure, with its audit entry. */
export async function recordFailure(input: {
  failure: NonNullable<PlatformKeyState['lastFailure']>;
  audit: AuditEntry;
}): Promise<void> {
  await transactWrite({
    TransactItems: [
      {
        Update: {
          TableName: getTableName(),
          Key: keys.platformKeyState(),
          UpdateExpression: 'SET entityType = :entity, lastFailure = :failure',
          ExpressionAttributeValues: { ':entity': STATE_ENTITY, ':failure': input.failure },
        },
      },
      auditPut(input.audit),
    ],
  });
}

/** Stores the ids of a newly minted service account before its key is stored anywhere. */
export async function putKeyAccount(record: KeyAccountRecord): Promise<void> {
  await getDocumentClient().send(
    new PutCommand({
      TableName: getTableName(),
      Item: {
        ...keys.platformKeyAccount(record.versionId, record.serviceAccountId),
        entityType: ACCOUNT_ENTITY,
        ...record,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Lists the minted accounts that are not revoked yet, of one version or of all versions,
 * oldest version id first.
 */
export async function listUnrevokedKeyAccounts(versionId?: string): Promise<KeyAccountRecord[]> {
  const accounts: KeyAccountRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  for (let page = 0; page < MAX_ACCOUNT_PAGES; page++) {
    const result = await getDocumentClient().send(
      new QueryCommand({
        TableName: getTableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: {
          ':pk': keys.platformPartition,
          ':prefix': keys.platformKeyAccountPrefix(versionId),
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of result.Items ?? []) accounts.push(toKeyAccount(item));
    startKey = result.LastEvaluatedKey;
    if (!startKey) break;
  }
  return accounts;
}

/** True when some minted account of `versionId` has been revoked. */
export async function hasRevokedKeyAccount(versionId: string): Promise<boolean> {
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'attribute_exists(revokedAt)',
      ExpressionAttributeValues: {
        ':pk': keys.platformPartition,
        ':prefix': keys.platformKeyAccountPrefix(versionId),
      },
    }),
  );
  return (result.Items ?? []).length > 0;
}

/**
 * Marks a minted account revoked, with its audit entry. Returns false, writing nothing,
 * when it is already marked, so two runs that revoked it at the same time record it once.
 */
export async function markKeyAccountRevoked(input: {
  account: KeyAccountRecord;
  revokedAt: string;
  audit: AuditEntry;
}): Promise<boolean> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: getTableName(),
            Key: keys.platformKeyAccount(input.account.versionId, input.account.serviceAccountId),
            UpdateExpression: 'SET revokedAt = :revokedAt',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
            ExpressionAttributeValues: { ':revokedAt': input.revokedAt },
          },
        },
        auditPut(input.audit),
      ],
    });
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

function toKeyAccount(item: Record<string, unknown>): KeyAccountRecord {
  return {
    versionId: item.versionId as string,
    projectId: item.projectId as string,
    serviceAccountId: item.serviceAccountId as string,
    keyId: item.keyId as string,
    mintedAt: item.mintedAt as string,
    ...(typeof item.revokedAt === 'string' && { revokedAt: item.revokedAt }),
  };
}

/** Appends an audit entry for a key action whose change lives in Secrets Manager. */
export async function appendKeyAudit(audit: AuditEntry): Promise<void> {
  await transactWrite({ TransactItems: [auditPut(audit)] });
}
