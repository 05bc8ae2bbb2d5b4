import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { decodeCursor, encodeCursor } from '../lib/db/cursor';
import { keys, tenantPartition } from '../lib/db/keys';
import type { LedgerEntry } from './ledger.model';

const LEDGER_ENTITY = 'LedgerEntry';

/** Returns the item that stores a ledger entry, for use inside a transaction. */
export function ledgerEntryItem(entry: LedgerEntry): Record<string, unknown> {
  return {
    ...keys.ledgerEntry(entry.tenantId, entry.entryId),
    ...(entry.userId && keys.userLedgerIndex(entry.tenantId, entry.userId, entry.entryId)),
    entityType: LEDGER_ENTITY,
    ...entry,
  };
}

/**
 * Lists a tenant's ledger, newest first, optionally only entries of one type. DynamoDB
 * applies the type filter after `limit`, so a filtered page can be shorter than the limit
 * while `nextCursor` still leads to more.
 */
export async function listTenantLedger(
  tenantId: string,
  page: { limit?: number; cursor?: string; type?: LedgerEntry['type'] },
) {
  const partition = tenantPartition(tenantId);
  const scope = { partition, sortKeyPrefix: keys.ledgerPrefix };
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': partition,
        ':prefix': keys.ledgerPrefix,
        ...(page.type && { ':type': page.type }),
      },
      ...(page.type && {
        FilterExpression: '#type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
      }),
      ScanIndexForward: false,
      Limit: page.limit ?? 50,
      ExclusiveStartKey: decodeCursor(scope, page.cursor),
    }),
  );
  return {
    items: (result.Items ?? []) as LedgerEntry[],
    nextCursor: encodeCursor(scope, result.LastEvaluatedKey),
  };
}

/** Lists one user's ledger, newest first, through the user ledger index. */
export async function listUserLedger(
  tenantId: string,
  userId: string,
  page: { limit?: number; cursor?: string },
) {
  const partition = keys.userLedgerPartition(tenantId, userId);
  const scope = { partition, sortKeyPrefix: keys.ledgerPrefix, index: 'gsi1' as const };
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: false,
      Limit: page.limit ?? 50,
      ExclusiveStartKey: decodeCursor(scope, page.cursor),
    }),
  );
  return {
    items: (result.Items ?? []) as LedgerEntry[],
    nextCursor: encodeCursor(scope, result.LastEvaluatedKey),
  };
}

/**
 * Returns the entries of one AI call. They share the request id's ULID as their id prefix,
 * so this is one key-range query. Given a user id, entries of other users are dropped.
 */
export async function listRequestLedger(
  tenantId: string,
  userId: string | undefined,
  requestId: string,
): Promise<LedgerEntry[]> {
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': tenantPartition(tenantId),
        ':prefix': `${keys.ledgerPrefix}${requestUlid(requestId)}`,
      },
      ConsistentRead: true,
    }),
  );
  const entries = (result.Items ?? []) as LedgerEntry[];
  return userId === undefined ? entries : entries.filter((entry) => entry.userId === userId);
}

/** Returns the ULID part of a `req_<ulid>` request id. */
export function requestUlid(requestId: string): string {
  return requestId.slice('req_'.length);
}
