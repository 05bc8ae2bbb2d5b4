import { GetCommand, QueryCommand, type TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, idPatterns, USER_EXISTS_MESSAGE, validationError } from '@creditgate/shared';
import type { AlertSettings } from '../alerts/alert-settings';
import type { AuditEntry } from '../audit/audit.model';
import { auditPut } from '../audit/audit.repository';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { decodeCursor, encodeCursor } from '../lib/db/cursor';
import { cancellationCodes } from '../lib/db/errors';
import { keys } from '../lib/db/keys';
import { transactWrite } from '../lib/db/transact';
import type { TenantKeyState, TenantRecord } from './tenant.model';

const TENANT_ENTITY = 'Tenant';
const TENANT_INDEX_PARTITION = 'TENANTS';
const TENANT_LIST = {
  partition: TENANT_INDEX_PARTITION,
  sortKeyPrefix: 'TENANT#',
  index: 'gsi1' as const,
};

type TransactItems = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>;

/**
 * Creates a tenant and reserves its first admin's email in one transaction with the audit
 * entry. The plan must exist and the email must be new in every tenant. The tenant starts
 * with one seat used and one admin counted.
 */
export async function createTenantWithAdminReservation(
  tenant: TenantRecord,
  adminEmail: string,
  audit: AuditEntry,
): Promise<void> {
  try {
    await transactWrite({
      TransactItems: [
        {
          // Counting the plan's tenants lets a plan in use refuse deletion.
          Update: {
            TableName: getTableName(),
            Key: keys.plan(tenant.planId),
            UpdateExpression: 'ADD tenantCount :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1 },
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
              searchName: searchNameOf(tenant.name),
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
        auditPut(audit),
      ],
    });
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') {
      throw validationError([{ field: 'planId', message: 'does not match any plan' }]);
    }
    if (codes?.[2] === 'ConditionalCheckFailed') {
      throw new AppError('USER_EXISTS', USER_EXISTS_MESSAGE, { cause: error });
    }
    throw error;
  }
}

/**
 * Removes a tenant whose first admin could not be created, with the email claim. Its audit
 * entry stays: the attempt happened.
 */
export async function deleteTenantReservation(
  tenant: TenantRecord,
  adminEmail: string,
): Promise<void> {
  await transactWrite({
    TransactItems: [
      { Delete: { TableName: getTableName(), Key: keys.tenant(tenant.tenantId) } },
      { Delete: { TableName: getTableName(), Key: keys.emailClaim(adminEmail) } },
      {
        Update: {
          TableName: getTableName(),
          Key: keys.plan(tenant.planId),
          UpdateExpression: 'ADD tenantCount :minusOne',
          ExpressionAttributeValues: { ':minusOne': -1 },
        },
      },
    ],
  });
}

export async function getTenant(tenantId: string): Promise<TenantRecord | undefined> {
  const result = await getDocumentClient().send(
    new GetCommand({ TableName: getTableName(), Key: keys.tenant(tenantId), ConsistentRead: true }),
  );
  return result.Item ? toTenantRecord(result.Item) : undefined;
}

/** Lists tenants, newest first. */
export async function listTenants(page: { limit?: number; cursor?: string }) {
  const result = await queryTenantIndex({
    limit: page.limit ?? 50,
    startKey: decodeCursor(TENANT_LIST, page.cursor),
  });
  return {
    items: (result.Items ?? []).map(toTenantRecord),
    nextCursor: encodeCursor(TENANT_LIST, result.LastEvaluatedKey),
  };
}

/** Reads one page of the tenant index, newest first, optionally filtered after reading. */
function queryTenantIndex(input: {
  limit: number;
  startKey: Record<string, unknown> | undefined;
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
}) {
  return getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      FilterExpression: input.filter?.expression,
      ExpressionAttributeNames: input.filter?.names,
      ExpressionAttributeValues: { ':pk': TENANT_INDEX_PARTITION, ...input.filter?.values },
      ScanIndexForward: false,
      Limit: input.limit,
      ExclusiveStartKey: input.startKey,
    }),
  );
}

/** Tenant items a search reads at most for one page; beyond it, the page ends early. */
const SEARCH_READ_LIMIT = 1_000;

/**
 * Searches tenants, newest first: those whose name contains `q` in any case, or the one
 * whose id is `q`. DynamoDB filters after it reads, so one page reads tenant items until
 * it has `limit` matches or has read `SEARCH_READ_LIMIT` items. The cursor then continues
 * after the last match or the last item read.
 */
export async function searchTenants(page: { limit?: number; cursor?: string; q: string }) {
  if (idPatterns.tenantId.test(page.q)) {
    const tenant = page.cursor === undefined ? await getTenant(page.q) : undefined;
    return { items: tenant ? [tenant] : [], nextCursor: null };
  }
  const limit = page.limit ?? 50;
  // Tenants stored before `searchName` existed match on their name as written.
  const filter = {
    expression: 'contains(searchName, :term) OR contains(#name, :raw)',
    names: { '#name': 'name' },
    values: { ':term': searchNameOf(page.q), ':raw': page.q },
  };
  const matches: Record<string, unknown>[] = [];
  let startKey = decodeCursor(TENANT_LIST, page.cursor);
  let read = 0;
  do {
    const result = await queryTenantIndex({
      limit: Math.min(100, SEARCH_READ_LIMIT - read),
      startKey,
      filter,
    });
    read += result.ScannedCount ?? 0;
    for (const item of result.Items ?? []) {
      matches.push(item);
      if (matches.length === limit) {
        const { pk, sk, gsi1pk, gsi1sk } = item;
        return {
          items: matches.map(toTenantRecord),
          nextCursor: encodeCursor(TENANT_LIST, { pk, sk, gsi1pk, gsi1sk }),
        };
      }
    }
    startKey = result.LastEvaluatedKey;
  } while (startKey && read < SEARCH_READ_LIMIT);
  return { items: matches.map(toTenantRecord), nextCursor: encodeCursor(TENANT_LIST, startKey) };
}

/** Returns the form of a tenant name that searches compare: Unicode NFKC, lower case. */
export function searchNameOf(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/** Lists every tenant, newest first, page by page. */
export async function listAllTenants(): Promise<TenantRecord[]> {
  const tenants: TenantRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTenants({ limit: 100, cursor });
    tenants.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return tenants;
}

/**
 * Applies a partial update to a tenant with its audit entry; a new plan must exist. The
 * write is conditioned on the status read before, so a suspension and a reactivation
 * racing each other cannot both win.
 */
export async function updateTenant(input: {
  before: TenantRecord;
  changes: Partial<Pick<TenantRecord, 'name' | 'planId' | 'creditLimit' | 'status'>>;
  now: string;
  audit: AuditEntry;
}): Promise<void> {
  const entries = Object.entries(input.changes).filter(([, value]) => value !== undefined);
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':now': input.now, ':oldStatus': input.before.status };
  const sets = entries.map(([field, value], index) => {
    names[`#f${index}`] = field;
    values[`:v${index}`] = value;
    return `#f${index} = :v${index}`;
  });
  if (input.changes.name !== undefined) {
    values[':searchName'] = searchNameOf(input.changes.name);
    sets.push('searchName = :searchName');
  }
  const items: TransactItems = [
    {
      Update: {
        TableName: getTableName(),
        Key: keys.tenant(input.before.tenantId),
        UpdateExpression: `SET ${[...sets, 'updatedAt = :now'].join(', ')}`,
        ConditionExpression: 'attribute_exists(pk) AND #status = :oldStatus',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    auditPut(input.audit),
  ];
  if (input.changes.planId && input.changes.planId !== input.before.planId) {
    items.push(
      {
        Update: {
          TableName: getTableName(),
          Key: keys.plan(input.changes.planId),
          UpdateExpression: 'ADD tenantCount :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
      {
        Update: {
          TableName: getTableName(),
          Key: keys.plan(input.before.planId),
          UpdateExpression: 'ADD tenantCount :minusOne',
          ExpressionAttributeValues: { ':minusOne': -1 },
        },
      },
    );
  }
  try {
    await transactWrite({ TransactItems: items });
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[2] === 'ConditionalCheckFailed') {
      throw validationError([{ field: 'planId', message: 'does not match any plan' }]);
    }
    if (codes?.[0] === 'ConditionalCheckFailed') {
      throw new AppError(
        'CONFLICT',
        'The tenant changed while this request ran; reload and try again',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
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
    adminCount: Number(item.adminCount ?? 0),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    ...(typeof item.ownKeyStatus === 'string' && {
      ownKey: {
        status: item.ownKeyStatus as TenantKeyState['status'],
        setAt: item.ownKeySetAt as string,
      },
    }),
    ...(typeof item.alerts === 'object' &&
      item.alerts !== null && { alerts: toAlertSettings(item.alerts as Record<string, unknown>) }),
  };
}

function toAlertSettings(item: Record<string, unknown>): AlertSettings {
  const threshold = (value: unknown) =>
    value === null || value === undefined ? null : Number(value);
  return {
    poolThreshold: threshold(item.poolThreshold),
    userThreshold: threshold(item.userThreshold),
    updatedAt: typeof item.updatedAt === 'string' ? item.updatedAt : null,
  };
}
