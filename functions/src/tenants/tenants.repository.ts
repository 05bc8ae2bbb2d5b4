import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, validationError } from '@creditgate/shared';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { decodeCursor, encodeCursor } from '../lib/db/cursor';
import { cancellationCodes } from '../lib/db/errors';
import { keys } from '../lib/db/keys';
import type { TenantRecord } from './tenant.model';

const TENANT_ENTITY = 'Tenant';
const TENANT_INDEX_PARTITION = 'TENANTS';

/**
 * Creates a tenant and reserves its first admin's email in one transaction; the plan must
 * exist and the email must be new in every tenant. The tenant starts with one seat used.
 */
export async function createTenantWithAdminReservation(
  tenant: TenantRecord,
  adminEmail: string,
): Promise<void> {
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: getTableName(),
              Key: keys.plan(tenant.planId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          {
            Put: {
              TableName: getTableName(),
              Item: {
                ...keys.tenant(tenant.tenantId),
                ...keys.tenantIndex(tenant.tenantId),
                entityType: TENANT_ENTITY,
                ...tenant,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: getTableName(),
              Item: {
                ...keys.emailClaim(adminEmail),
                entityType: 'EmailClaim',
                email: adminEmail,
                tenantId: tenant.tenantId,
                state: 'RESERVED',
                createdAt: tenant.createdAt,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') {
      throw validationError([{ field: 'planId', message: 'does not match any plan' }]);
    }
    if (codes?.[2] === 'ConditionalCheckFailed') {
      throw new AppError('USER_EXISTS', 'A user with this email already exists', { cause: error });
    }
    throw error;
  }
}

/** Removes a tenant whose first admin could not be created, with the email claim. */
export async function deleteTenantReservation(tenantId: string, adminEmail: string): Promise<void> {
  await getDocumentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        { Delete: { TableName: getTableName(), Key: keys.tenant(tenantId) } },
        { Delete: { TableName: getTableName(), Key: keys.emailClaim(adminEmail) } },
      ],
    }),
  );
}

export async function getTenant(tenantId: string): Promise<TenantRecord | undefined> {
  const result = await getDocumentClient().send(
    new GetCommand({ TableName: getTableName(), Key: keys.tenant(tenantId), ConsistentRead: true }),
  );
  return result.Item ? toTenantRecord(result.Item) : undefined;
}

/** Lists tenants, newest first. */
export async function listTenants(page: { limit?: number; cursor?: string }) {
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': TENANT_INDEX_PARTITION },
      ScanIndexForward: false,
      Limit: page.limit ?? 50,
      ExclusiveStartKey: decodeCursor(TENANT_INDEX_PARTITION, page.cursor),
    }),
  );
  return {
    items: (result.Items ?? []).map(toTenantRecord),
    nextCursor: encodeCursor(TENANT_INDEX_PARTITION, result.LastEvaluatedKey),
  };
}

function toTenantRecord(item: Record<string, unknown>): TenantRecord {
  return {
    tenantId: item.tenantId as string,
    name: item.name as string,
    planId: item.planId as string,
    status: item.status as TenantRecord['status'],
    creditLimit: Number(item.creditLimit),
    poolBalance: Number(item.poolBalance ?? 0),
    granted: Number(item.granted ?? 0),
    seatsUsed: Number(item.seatsUsed ?? 0),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}
