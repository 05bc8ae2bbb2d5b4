import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@creditgate/shared';
import type { LedgerEntry } from '../credits/ledger.model';
import { ledgerEntryItem, listRequestLedger, requestUlid } from '../credits/ledger.repository';
import {
  checkExisting,
  IDEMPOTENCY_TTL_SECONDS,
  type IdempotencyScope,
  idempotencyKeyOf,
} from '../idempotency/idempotency.repository';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { cancellationCodes, cancellationItem } from '../lib/db/errors';
import { keys } from '../lib/db/keys';

/** An open hold: credits taken from a user's balance for one AI call until it settles. */
export interface Hold {
  tenantId: string;
  userId: string;
  requestId: string;
  amount: number;
  model: string;
  holdExpiresAt: number;
  createdAt: string;
}

/** Ledger entry ids of one call: its request id's ULID and a sequence suffix. */
export const holdEntryId = (requestId: string): string => `${requestUlid(requestId)}#1`;
export const closingEntryId = (requestId: string): string => `${requestUlid(requestId)}#2`;

/**
 * Places a hold in one transaction, the only DynamoDB request before the upstream call. The
 * user item's condition carries every pre-call check: it exists, the user may call (state
 * and role), the tenant is active (suspension is copied onto user items) and the balance
 * covers the hold. Only the caller's own items are written, so concurrent calls of different
 * users of one tenant never contend for an item.
 */
export async function placeHold(
  hold: Hold,
  idempotency?: { scope: IdempotencyScope; fingerprint: string },
): Promise<void> {
  const userKey = keys.user(hold.tenantId, hold.userId);
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: getTableName(),
              Key: userKey,
              UpdateExpression: 'ADD balance :negative, held :amount SET lastActiveAt = :now',
              ConditionExpression:
                'balance >= :amount AND #status IN (:invited, :active) AND tenantStatus = :tenantActive AND #role IN (:user, :tenantAdmin)',
              ExpressionAttributeNames: { '#status': 'status', '#role': 'role' },
              ExpressionAttributeValues: {
                ':negative': -hold.amount,
                ':amount': hold.amount,
                ':now': hold.createdAt,
                ':invited': 'INVITED',
                ':active': 'ACTIVE',
                ':tenantActive': 'ACTIVE',
                ':user': 'User',
                ':tenantAdmin': 'TenantAdmin',
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Put: {
              TableName: getTableName(),
              Item: {
                ...keys.hold(hold.tenantId, hold.requestId),
                ...keys.holdIndex(hold.tenantId, hold.requestId, hold.holdExpiresAt),
                entityType: 'Hold',
                ...hold,
                status: 'OPEN',
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: getTableName(),
              Item: ledgerEntryItem({
                entryId: holdEntryId(hold.requestId),
                tenantId: hold.tenantId,
                userId: hold.userId,
                type: 'HOLD',
                amount: hold.amount,
                requestId: hold.requestId,
                model: hold.model,
                actorId: hold.userId,
                createdAt: hold.createdAt,
              }),
            },
          },
          ...(idempotency ? [aiCallKeyPut(hold, idempotency)] : []),
        ],
      }),
    );
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed')
      throw holdRejection(cancellationItem(error, 0), hold, error);
    if (idempotency && codes?.[3] === 'ConditionalCheckFailed') {
      throw await duplicateCall(hold, cancellationItem(error, 3), idempotency.fingerprint, error);
    }
    throw error;
  }
}

/**
 * The record of an AI call's `Idempotency-Key`. AI output is not stored, so a repeat is
 * not answered with the first response: it gets 409 DUPLICATE_REQUEST with the first call's
 * request id and cost, and is charged nothing.
 */
function aiCallKeyPut(hold: Hold, idempotency: { scope: IdempotencyScope; fingerprint: string }) {
  const nowSeconds = Math.floor(Date.parse(hold.createdAt) / 1000);
  return {
    Put: {
      TableName: getTableName(),
      Item: {
        ...idempotencyKeyOf(idempotency.scope),
        entityType: 'IdempotencyRecord',
        status: 'COMPLETED',
        fingerprint: idempotency.fingerprint,
        result: { requestId: hold.requestId },
        createdAt: hold.createdAt,
        expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': nowSeconds },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  };
}

async function duplicateCall(
  hold: Hold,
  existing: Record<string, unknown> | undefined,
  fingerprint: string,
  cause: unknown,
): Promise<AppError> {
  const record = checkExisting(existing, fingerprint, cause);
  const requestId = String(record.result?.requestId ?? '');
  const entries = requestId ? await listRequestLedger(hold.tenantId, hold.userId, requestId) : [];
  const closing = entries.find((entry) => entry.type === 'SETTLE' || entry.type === 'RELEASE');
  const cost = closing ? (closing.type === 'SETTLE' ? closing.amount : 0) : null;
  return new AppError(
    'DUPLICATE_REQUEST',
    `This Idempotency-Key was already used by request ${requestId}; nothing was charged for this repeat`,
    { cause, details: { requestId, cost } },
  );
}

function holdRejection(
  user: Record<string, unknown> | undefined,
  hold: Hold,
  cause: unknown,
): AppError {
  if (!user || user.status === 'DELETED') {
    return new AppError('UNAUTHENTICATED', 'No active account matches this token; sign in again', {
      cause,
    });
  }
  if (user.status !== 'INVITED' && user.status !== 'ACTIVE') {
    return new AppError('ACCOUNT_DISABLED', 'This account is disabled', { cause });
  }
  if (user.tenantStatus !== 'ACTIVE')
    return new AppError('TENANT_SUSPENDED', 'This tenant is suspended', { cause });
  if (user.role !== 'User' && user.role !== 'TenantAdmin') {
    return new AppError('FORBIDDEN', 'Only tenant members can call AI models', { cause });
  }
  return new AppError(
    'INSUFFICIENT_CREDITS',
    `This call needs up to ${hold.amount} credits and the balance is ${Number(user.balance ?? 0)}; ask your admin for more credits or lower max_tokens`,
    { cause, details: { required: hold.amount, balance: Number(user.balance ?? 0) } },
  );
}

/**
 * Closes a hold: `charge` moves to spent and the rest of the hold returns to the balance,
 * with one ledger entry (SETTLE, or RELEASE when nothing is charged). A charge above the
 * hold takes the difference from the balance, and the condition makes sure the balance
 * covers it. The hold must still be open, so a sweeper and a settlement never close the
 * same hold twice.
 */
export async function closeHold(input: {
  hold: Hold;
  charge: number;
  entry: Omit<LedgerEntry, 'entryId' | 'type' | 'amount'>;
}): Promise<void> {
  const { hold, charge } = input;
  const extra = Math.max(0, charge - hold.amount);
  const type = charge === 0 ? 'RELEASE' : 'SETTLE';
  await getDocumentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: getTableName(),
            Key: keys.user(hold.tenantId, hold.userId),
            UpdateExpression: 'ADD balance :returned, held :negativeHold, spent :charge',
            ConditionExpression: 'balance >= :extra',
            ExpressionAttributeValues: {
              ':returned': hold.amount - charge,
              ':negativeHold': -hold.amount,
              ':charge': charge,
              ':extra': extra,
            },
          },
        },
        {
          Update: {
            TableName: getTableName(),
            Key: keys.hold(hold.tenantId, hold.requestId),
            // Removing the index keys drops the hold from the sweeper's sparse index.
            UpdateExpression:
              'SET #status = :closed, closedAt = :now, charged = :charge REMOVE gsi1pk, gsi1sk',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':closed': type === 'SETTLE' ? 'SETTLED' : 'RELEASED',
              ':open': 'OPEN',
              ':now': input.entry.createdAt,
              ':charge': charge,
            },
          },
        },
        {
          Put: {
            TableName: getTableName(),
            Item: ledgerEntryItem({
              ...input.entry,
              entryId: closingEntryId(hold.requestId),
              type,
              amount: type === 'SETTLE' ? charge : hold.amount,
              ...(type === 'SETTLE' && { released: Math.max(0, hold.amount - charge) }),
            }),
          },
        },
      ],
    }),
  );
}

/** True when `closeHold` failed because the balance could not cover a charge above the hold. */
export function isBalanceShortForCharge(error: unknown): boolean {
  return cancellationCodes(error)?.[0] === 'ConditionalCheckFailed';
}

/** Reads a user's current balance (strongly consistent). */
export async function readBalance(tenantId: string, userId: string): Promise<number> {
  const result = await getDocumentClient().send(
    new GetCommand({
      TableName: getTableName(),
      Key: keys.user(tenantId, userId),
      ConsistentRead: true,
      ProjectionExpression: 'balance',
    }),
  );
  return Number(result.Item?.balance ?? 0);
}
