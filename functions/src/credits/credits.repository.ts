import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@creditgate/shared';
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
 * user's balance to. A user that is missing or deleted answers NOT_FOUND.
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
      throw new AppError('POOL_INSUFFICIENT', `The tenant pool holds less than ${input.amount}`, {
        cause: error,
      });
    }
    throw error;
  }
}
