import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from '@creditgate/shared';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { decodeCursor, encodeCursor, type ListScope } from '../lib/db/cursor';
import { keys, tenantPartition } from '../lib/db/keys';
import { transactWrite } from '../lib/db/transact';
import type { Actor, AuditAction, AuditEntry } from './audit.model';

const AUDIT_ENTITY = 'AuditEntry';

/** Builds an audit entry for an action of `actor`, stamped now. */
export function newAuditEntry(input: {
  actor: Actor;
  tenantId: string;
  action: AuditAction;
  targetType: AuditEntry['targetType'];
  targetId: string;
  details?: Record<string, unknown>;
}): AuditEntry {
  return {
    auditId: ulid(),
    tenantId: input.tenantId,
    action: input.action,
    actorId: input.actor.userId,
    actorEmail: input.actor.email,
    targetType: input.targetType,
    targetId: input.targetId,
    requestId: input.actor.requestId,
    createdAt: new Date().toISOString(),
    ...(input.details && { details: input.details }),
  };
}

/**
 * Returns the `Put` of an audit entry for the transaction of the action it records, so an
 * action and its entry are written together or not at all. Nothing updates or deletes it.
 */
export function auditPut(entry: AuditEntry) {
  return {
    Put: {
      TableName: getTableName(),
      Item: {
        ...keys.auditEntry(entry.tenantId, entry.auditId),
        ...keys.auditIndex(entry.auditId),
        entityType: AUDIT_ENTITY,
        ...entry,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Writes an audit entry on its own, for an action that changes nothing in the table. */
export async function appendAuditEntry(entry: AuditEntry): Promise<void> {
  await transactWrite({ TransactItems: [auditPut(entry)] });
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  limit?: number;
  cursor?: string;
}

/** Lists one tenant's audit log, newest first. */
export async function listTenantAudit(tenantId: string, filter: AuditFilter) {
  const partition = tenantPartition(tenantId);
  return queryAudit({ partition, sortKeyPrefix: keys.auditPrefix }, filter, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.auditPrefix },
  });
}

/** Lists the audit log of every tenant and of the platform, newest first. */
export async function listAllAudit(filter: AuditFilter) {
  const partition = keys.auditIndexPartition;
  return queryAudit({ partition, sortKeyPrefix: keys.auditPrefix, index: 'gsi1' }, filter, {
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': partition },
  });
}

async function queryAudit(
  scope: ListScope,
  filter: AuditFilter,
  query: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
  },
) {
  const conditions: string[] = [];
  const values: Record<string, unknown> = { ...query.ExpressionAttributeValues };
  if (filter.action) {
    conditions.push('#action = :action');
    values[':action'] = filter.action;
  }
  if (filter.actorId) {
    conditions.push('actorId = :actorId');
    values[':actorId'] = filter.actorId;
  }
  // NOTE: DynamoDB applies a filter after `Limit`, so a filtered page may hold fewer entries
  // than the limit while `nextCursor` still leads to more.
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      ...query,
      ExpressionAttributeValues: values,
      ...(filter.action && { ExpressionAttributeNames: { '#action': 'action' } }),
      ...(conditions.length > 0 && { FilterExpression: conditions.join(' AND ') }),
      ScanIndexForward: false,
      Limit: filter.limit ?? 50,
      ExclusiveStartKey: decodeCursor(scope, filter.cursor),
    }),
  );
  return {
    items: (result.Items ?? []).map(toAuditView),
    nextCursor: encodeCursor(scope, result.LastEvaluatedKey),
  };
}

function toAuditView(item: Record<string, unknown>): AuditEntry {
  const entry = item as unknown as AuditEntry;
  return {
    auditId: entry.auditId,
    tenantId: entry.tenantId,
    action: entry.action,
    actorId: entry.actorId,
    actorEmail: entry.actorEmail,
    targetType: entry.targetType,
    targetId: entry.targetId,
    requestId: entry.requestId,
    createdAt: entry.createdAt,
    ...(entry.details && { details: entry.details }),
  };
}
