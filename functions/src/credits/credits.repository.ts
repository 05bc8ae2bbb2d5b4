import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, formatCount } from '@creditgate/shared';
import type { AuditEntry } from '../audit/audit.model';
import { auditPut } from '../audit/audit.repository';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { cancellationCodes, cancellationItem } from '../lib/db/errors';
import { keys } from '../lib/db/keys';
import type { LedgerEntry } from './ledger.model';
import { ledgerEntryItem } from './ledger.repository';

type TransactItems = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>;

/** Thrown when the tenant changed between the read and the grant; the caller retries. */
export class GrantRaceError extends Error {
  constructor(cause: unknown) {
    super('The tenant changed during the grant', { cause });
    this.name = 'GrantRaceError';
  }
}

/** Position of the first of `extraItems` in `applyGrant`'s transaction, after its own three. */
const GRANT_EXTRA_ITEMS_START = 3;

/**
 * Adds a grant to the pool and appends its ledger entry in one transaction. The credit
 * limit check happens in the service on values read just before; the conditions on
 * `granted` and `creditLimit` make the write fail if either changed since that read.
 */
export async function applyGrant(input: {
  tenantId: string;
  amount: number;
  expectedGranted: number;
  expectedCreditLimit: number;
  entry: LedgerEntry;
  audit: AuditEntry;
  /** More writes for the same transaction, such as the idempotency record's completion. */
  extraItems?: TransactItems;
}): Promise<void> {
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: getTableName(),
              Key: keys.tenant(input.tenantId),
              UpdateExpression: 'ADD poolBalance :amount, granted :amount',
              ConditionExpression: 'granted = :expectedGranted AND creditLimit = :expectedLimit',
              ExpressionAttributeValues: {
                ':amount': input.amount,
                ':expectedGranted': input.expectedGranted,
                ':expectedLimit': input.expectedCreditLimit,
              },
            },
          },
          { Put: { TableName: getTableName(), Item: ledgerEntryItem(input.entry) } },
          auditPut(input.audit),
          ...(input.extraItems ?? []),
        ],
      }),
    );
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new GrantRaceError(error);
    throw error;
  }
}

/**
 * Moves credits between the tenant pool and one user's balance with the ledger entry, in
 * one transaction. Allocation needs the pool to cover the amount; reclaim needs the
 * user's balance to. A missing or deleted user raises NOT_FOUND.
 */
export async function moveCredits(input: {
  tenantId: string;
  userId: string;
  operation: 'allocate' | 'reclaim';
  amount: number;
  entry: LedgerEntry;
  audit: AuditEntry;
  /** More writes for the same transaction, such as the idempotency record's completion. */
  extraItems?: TransactItems;
}): Promise<void> {
  const isAllocation = input.operation === 'allocate';
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: getTableName(),
              Key: keys.tenant(input.tenantId),
              UpdateExpression: 'ADD poolBalance :delta',
              ConditionExpression: isAllocation ? 'poolBalance >= :amount' : 'attribute_exists(pk)',
              ExpressionAttributeValues: isAllocation
                ? { ':delta': -input.amount, ':amount': input.amount }
                : { ':delta': input.amount },
            },
          },
          {
            Update: {
              TableName: getTableName(),
              Key: keys.user(input.tenantId, input.userId),
              UpdateExpression: 'ADD balance :delta',
              ConditionExpression: isAllocation
                ? 'attribute_exists(pk) AND #status <> :deleted'
                : 'attribute_exists(pk) AND #status <> :deleted AND balance >= :amount',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: isAllocation
                ? { ':delta': input.amount, ':deleted': 'DELETED' }
                : { ':delta': -input.amount, ':deleted': 'DELETED', ':amount': input.amount },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { Put: { TableName: getTableName(), Item: ledgerEntryItem(input.entry) } },
          auditPut(input.audit),
          ...(input.extraItems ?? []),
        ],
      }),
    );
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (codes[1] === 'ConditionalCheckFailed') {
      const userItem = cancellationItem(error, 1);
      if (!userItem || userItem.status === 'DELETED') {
        throw new AppError('NOT_FOUND', 'User not found', { cause: error });
      }
      throw new AppError(
        'USER_BALANCE_INSUFFICIENT',
        `The user's balance is less than ${input.amount}`,
        {
          cause: error,
        },
      );
    }
    if (codes[0] === 'ConditionalCheckFailed') {
      throw new AppError(
        'POOL_INSUFFICIENT',
        `The tenant pool holds less than ${formatCount(input.amount)}`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** The record of one month's plan credits for one tenant, also when nothing was granted. */
export interface MonthlyGrantRecord {
  tenantId: string;
  /** UTC calendar month, `YYYY-MM`. */
  month: string;
  planId: string;
  /** The plan's `monthlyCredits`. */
  requested: number;
  /** Credits added to the pool: `requested`, less what the credit limit cut, possibly 0. */
  granted: number;
  reason: string;
  /** The GRANT ledger entry; absent when nothing was granted. */
  entryId?: string;
  createdAt: string;
}

/** Thrown when a tenant's plan credits for the month were already recorded. */
export class MonthlyGrantExistsError extends Error {
  constructor(tenantId: string, month: string, cause?: unknown) {
    super(`Tenant ${tenantId} already has its plan credits for ${month}`, { cause });
    this.name = 'MonthlyGrantExistsError';
  }
}

/** Reads a tenant's record of one month's plan credits, if it exists (strongly consistent). */
export async function getMonthlyGrant(
  tenantId: string,
  month: string,
): Promise<MonthlyGrantRecord | undefined> {
  const result = await getDocumentClient().send(
    new GetCommand({
      TableName: getTableName(),
      Key: keys.monthlyGrant(tenantId, month),
      ConsistentRead: true,
    }),
  );
  return result.Item as MonthlyGrantRecord | undefined;
}

/**
 * Records a tenant's plan credits for one month with its audit entry, and grants
 * `record.granted` to the pool through `applyGrant` when it is above 0. The record is created
 * with `attribute_not_exists` in the same transaction, so a month is recorded and granted
 * once however often or concurrently the job runs. A repeat throws `MonthlyGrantExistsError`.
 * Like a grant, the write requires `granted` and `creditLimit` to still hold the values the
 * amount was computed from, and throws `GrantRaceError` otherwise, also when nothing is
 * granted, so a limit raised meanwhile is not recorded as reached.
 */
export async function applyMonthlyGrant(input: {
  record: MonthlyGrantRecord;
  expectedGranted: number;
  expectedCreditLimit: number;
  /** The GRANT ledger entry, required when `record.granted` is above 0. */
  entry?: LedgerEntry;
  audit: AuditEntry;
}): Promise<void> {
  const { record } = input;
  const recordPut = {
    Put: {
      TableName: getTableName(),
      Item: {
        ...keys.monthlyGrant(record.tenantId, record.month),
        entityType: 'MonthlyGrant',
        ...record,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };

  if (record.granted > 0) {
    if (!input.entry) throw new Error('A monthly grant above 0 needs its ledger entry');
    try {
      await applyGrant({
        tenantId: record.tenantId,
        amount: record.granted,
        expectedGranted: input.expectedGranted,
        expectedCreditLimit: input.expectedCreditLimit,
        entry: input.entry,
        audit: input.audit,
        extraItems: [recordPut],
      });
    } catch (error) {
      // A concurrent run may fail both the tenant's condition and the record's: the record
      // decides, because retrying after it exists can never succeed.
      const transactionError = error instanceof GrantRaceError ? error.cause : error;
      if (
        cancellationCodes(transactionError)?.[GRANT_EXTRA_ITEMS_START] === 'ConditionalCheckFailed'
      )
        throw new MonthlyGrantExistsError(record.tenantId, record.month, transactionError);
      throw error;
    }
    return;
  }

  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: getTableName(),
              Key: keys.tenant(record.tenantId),
              ConditionExpression: 'granted = :expectedGranted AND creditLimit = :expectedLimit',
              ExpressionAttributeValues: {
                ':expectedGranted': input.expectedGranted,
                ':expectedLimit': input.expectedCreditLimit,
              },
            },
          },
          recordPut,
          auditPut(input.audit),
        ],
      }),
    );
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[1] === 'ConditionalCheckFailed')
      throw new MonthlyGrantExistsError(record.tenantId, record.month, error);
    if (codes?.[0] === 'ConditionalCheckFailed') throw new GrantRaceError(error);
    throw error;
  }
}
