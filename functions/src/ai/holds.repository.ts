import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@creditgate/shared';
import { apiTokenUseItem } from '../api-tokens/api-tokens.repository';
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
import { HOLD_SHARDS, keys } from '../lib/db/keys';
import { transactWrite } from '../lib/db/transact';
import { invalidApiTokenError } from './ai-caller';

/** An open hold: credits taken from a user's balance for one AI call until it settles. */
export interface Hold {
  tenantId: string;
  userId: string;
  requestId: string;
  amount: number;
  model: string;
  holdExpiresAt: number;
  createdAt: string;
  /**
   * The plan's per-user limits, enforced inside the hold transaction on the user's own
   * items: calls started in the current UTC minute, and calls in flight (streaming or not).
   */
  limits?: { requestsPerMinute: number; concurrentCalls: number };
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
  options: {
    idempotency?: { scope: IdempotencyScope; fingerprint: string };
    /** A personal API token the caller used: it must still be valid, checked in this transaction. */
    apiToken?: { tokenId: string; tokenHash: string };
  } = {},
): Promise<void> {
  const { idempotency, apiToken } = options;
  const optionalItems = [
    ...(idempotency ? [aiCallKeyPut(hold, idempotency)] : []),
    ...(apiToken
      ? [
          apiTokenUseItem({
            tenantId: hold.tenantId,
            userId: hold.userId,
            ...apiToken,
            now: hold.createdAt,
          }),
        ]
      : []),
  ];
  // Transaction items in order: user, hold, HOLD entry, then the optional items below.
  // A missing item's index stays -1, which no cancellation reason has.
  let nextIndex = 3;
  let rateIndex = -1;
  let idempotencyIndex = -1;
  let apiTokenIndex = -1;
  if (hold.limits) rateIndex = nextIndex++;
  if (idempotency) idempotencyIndex = nextIndex++;
  if (apiToken) apiTokenIndex = nextIndex++;
  const limits = hold.limits;
  const userKey = keys.user(hold.tenantId, hold.userId);
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: getTableName(),
            Key: userKey,
            UpdateExpression: limits
              ? 'ADD balance :negative, held :amount, openCalls :one SET lastActiveAt = :now'
              : 'ADD balance :negative, held :amount SET lastActiveAt = :now',
            ConditionExpression: limits
              ? `${USER_CAN_CALL} AND (attribute_not_exists(openCalls) OR openCalls < :maxOpenCalls)`
              : USER_CAN_CALL,
            ExpressionAttributeNames: { '#status': 'status', '#role': 'role' },
            ExpressionAttributeValues: {
              ...(limits && { ':one': 1, ':maxOpenCalls': limits.concurrentCalls }),
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
        ...(limits ? [rateCounterItem(hold, limits.requestsPerMinute)] : []),
        ...optionalItems,
      ],
    });
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed')
      throw holdRejection(cancellationItem(error, 0), hold, error);
    if (limits && codes?.[rateIndex] === 'ConditionalCheckFailed') {
      // The cancelled transaction returns no balance; one read on this refusal path names it.
      const balance = await readBalance(hold.tenantId, hold.userId).catch(() => undefined);
      throw rateLimited(
        'requestsPerMinute',
        limits.requestsPerMinute,
        secondsToNextMinute(hold.createdAt),
        balance,
        error,
      );
    }
    if (apiToken && codes?.[apiTokenIndex] === 'ConditionalCheckFailed')
      throw invalidApiTokenError(error);
    if (idempotency && codes?.[idempotencyIndex] === 'ConditionalCheckFailed') {
      throw await duplicateCall(
        hold,
        cancellationItem(error, idempotencyIndex),
        idempotency.fingerprint,
        error,
      );
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
  // A call still running has no closing entry yet, so its cost is not known.
  let cost: number | null = null;
  if (closing?.type === 'SETTLE') cost = closing.amount;
  if (closing?.type === 'RELEASE') cost = 0;
  return new AppError(
    'DUPLICATE_REQUEST',
    `This Idempotency-Key was already used by request ${requestId}; nothing was charged for this repeat`,
    { cause, details: { requestId, cost } },
  );
}

/** The user item's condition for any AI call: a member of an active tenant, with the balance. */
const USER_CAN_CALL =
  'balance >= :amount AND #status IN (:invited, :active) AND tenantStatus = :tenantActive AND #role IN (:user, :tenantAdmin)';

/**
 * Counts a call in the user's counter for its UTC minute. The counter is the user's own
 * item, so no tenant-wide item is written on the call path; it expires by TTL.
 */
function rateCounterItem(hold: Hold, requestsPerMinute: number) {
  const minute = Math.floor(Date.parse(hold.createdAt) / 60_000);
  return {
    Update: {
      TableName: getTableName(),
      Key: keys.rateCounter(hold.tenantId, hold.userId, minute),
      UpdateExpression: 'ADD requestCount :one SET expiresAt = :expiresAt, entityType = :entity',
      ConditionExpression: 'attribute_not_exists(requestCount) OR requestCount < :limit',
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': requestsPerMinute,
        ':expiresAt': (minute + 2) * 60,
        ':entity': 'RateCounter',
      },
    },
  };
}

function secondsToNextMinute(isoTime: string): number {
  const milliseconds = Date.parse(isoTime);
  return Math.max(1, Math.ceil((60_000 - (milliseconds % 60_000)) / 1000));
}

/** Builds the 429 of a plan limit; it names the limit and, when known, the remaining balance. */
function rateLimited(
  limit: 'requestsPerMinute' | 'concurrentStreams',
  value: number,
  retryAfter: number,
  balance: number | undefined,
  cause: unknown,
) {
  const reason =
    limit === 'requestsPerMinute'
      ? `Your plan allows ${value} AI requests per minute; retry in ${retryAfter} s`
      : `Your plan allows ${value} AI calls at once; wait for one to finish`;
  const message = balance === undefined ? reason : `${reason}. Your balance is ${balance} credits`;
  return new AppError('RATE_LIMITED', message, {
    cause,
    details: {
      limit,
      value,
      retryAfter: String(retryAfter),
      ...(balance !== undefined && { balance }),
    },
  });
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
  if (hold.limits && Number(user.openCalls ?? 0) >= hold.limits.concurrentCalls) {
    return rateLimited(
      'concurrentStreams',
      hold.limits.concurrentCalls,
      1,
      Number(user.balance ?? 0),
      cause,
    );
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
  await transactWrite({
    TransactItems: [
      {
        Update: {
          TableName: getTableName(),
          Key: keys.user(hold.tenantId, hold.userId),
          // A hold placed under limits counted one call in flight; closing it ends that call.
          UpdateExpression: hold.limits
            ? 'ADD balance :returned, held :negativeHold, spent :charge, openCalls :minusOne'
            : 'ADD balance :returned, held :negativeHold, spent :charge',
          ConditionExpression: 'balance >= :extra',
          ExpressionAttributeValues: {
            ...(hold.limits && { ':minusOne': -1 }),
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
      ...(type === 'SETTLE' ? [dailyUsageItem(hold, charge, input.entry)] : []),
    ],
  });
}

/**
 * Adds a settled call to the user's usage item for its UTC day and model. Tenant usage is
 * summed from these items, so reading it costs items per user, day and model, not per call.
 * The item is the caller's own, so the call path writes nothing shared by the tenant.
 */
function dailyUsageItem(
  hold: Hold,
  charge: number,
  entry: Omit<LedgerEntry, 'entryId' | 'type' | 'amount'>,
) {
  const day = hold.createdAt.slice(0, 10);
  return {
    Update: {
      TableName: getTableName(),
      Key: keys.dailyUsage(hold.tenantId, day, hold.userId, hold.model),
      UpdateExpression:
        'ADD calls :one, cost :charge, promptTokens :prompt, completionTokens :completion SET entityType = :entity, #day = :day, userId = :userId, model = :model',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':charge': charge,
        ':prompt': entry.usage?.promptTokens ?? 0,
        ':completion': entry.usage?.completionTokens ?? 0,
        ':entity': 'DailyUsage',
        ':day': day,
        ':userId': hold.userId,
        ':model': hold.model,
      },
    },
  };
}

/** True when `closeHold` failed because the balance could not cover a charge above the hold. */
export function isBalanceShortForCharge(error: unknown): boolean {
  return cancellationCodes(error)?.[0] === 'ConditionalCheckFailed';
}

/** True when `closeHold` failed because the hold was no longer open: someone else closed it. */
export function isHoldAlreadyClosed(error: unknown): boolean {
  return cancellationCodes(error)?.[1] === 'ConditionalCheckFailed';
}

/** Start key of the next page of a hold index query; DynamoDB's `LastEvaluatedKey`. */
export type HoldPageKey = Record<string, unknown>;

/**
 * Lists one page of open holds of one `HOLDS#<shard>` partition whose `holdExpiresAt` is
 * before `expiredBefore` (epoch ms), oldest first. The index is eventually consistent, so a
 * listed hold may have been closed a moment ago; `closeHold`'s condition on the status
 * decides.
 */
export async function listExpiredHolds(input: {
  shard: number;
  expiredBefore: number;
  limit: number;
  startKey?: HoldPageKey;
}): Promise<{ holds: Hold[]; nextKey: HoldPageKey | undefined }> {
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      IndexName: 'gsi1',
      // Sort keys start with the zero-padded expiry, so "expired" is a plain range condition.
      KeyConditionExpression: 'gsi1pk = :partition AND gsi1sk < :expiredBefore',
      ExpressionAttributeValues: {
        ':partition': keys.holdIndexPartition(input.shard),
        ':expiredBefore': keys.holdExpiryPrefix(input.expiredBefore),
      },
      Limit: input.limit,
      ExclusiveStartKey: input.startKey,
    }),
  );
  return { holds: (result.Items ?? []).map(toHold), nextKey: result.LastEvaluatedKey };
}

/**
 * Lists every open hold in the hold index, all shards and pages, optionally of one tenant
 * only. Open holds are short-lived and the sweeper releases stale ones, so the set stays
 * small. The index is eventually consistent: a hold placed or closed a moment ago may be
 * missing or still listed.
 */
export async function listOpenHolds(tenantId?: string): Promise<Hold[]> {
  const holds: Hold[] = [];
  for (let shard = 0; shard < HOLD_SHARDS; shard++) {
    let startKey: HoldPageKey | undefined;
    do {
      const result = await getDocumentClient().send(
        new QueryCommand({
          TableName: getTableName(),
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :partition',
          ...(tenantId
            ? {
                FilterExpression: 'tenantId = :tenantId',
                ExpressionAttributeValues: {
                  ':partition': keys.holdIndexPartition(shard),
                  ':tenantId': tenantId,
                },
              }
            : { ExpressionAttributeValues: { ':partition': keys.holdIndexPartition(shard) } }),
          ExclusiveStartKey: startKey,
        }),
      );
      holds.push(...(result.Items ?? []).map(toHold));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
  }
  return holds;
}

function toHold(item: Record<string, unknown>): Hold {
  return {
    tenantId: String(item.tenantId),
    userId: String(item.userId),
    requestId: String(item.requestId),
    amount: Number(item.amount),
    model: String(item.model),
    holdExpiresAt: Number(item.holdExpiresAt),
    createdAt: String(item.createdAt),
    // The limits tell a release to end the call's count of calls in flight.
    ...(item.limits !== undefined && { limits: item.limits as NonNullable<Hold['limits']> }),
  };
}

/** Reads the named attributes of a user item (strongly consistent). */
async function readUserItem(
  tenantId: string,
  userId: string,
  attributes: string,
): Promise<Record<string, unknown> | undefined> {
  const result = await getDocumentClient().send(
    new GetCommand({
      TableName: getTableName(),
      Key: keys.user(tenantId, userId),
      ConsistentRead: true,
      ProjectionExpression: attributes,
    }),
  );
  return result.Item;
}

/** Reads a user's current balance (strongly consistent). */
export async function readBalance(tenantId: string, userId: string): Promise<number> {
  const item = await readUserItem(tenantId, userId, 'balance');
  return Number(item?.balance ?? 0);
}

/** The balance and email of a caller, read for the receipt and the low-balance alert. */
export interface BalanceOwner {
  balance: number;
  email: string;
}

/** Reads a caller's balance and email (strongly consistent). */
async function readBalanceOwner(tenantId: string, userId: string): Promise<BalanceOwner> {
  const item = await readUserItem(tenantId, userId, 'balance, email');
  return { balance: Number(item?.balance ?? 0), email: String(item?.email ?? '') };
}

/**
 * Returns a function that starts the read of a caller's balance and email on its first call
 * and resolves to that read's result on every call, or to undefined when the read failed.
 * An AI call starts it while upstream works and awaits it for the receipt.
 */
export function balanceReadOnce(
  tenantId: string,
  userId: string,
): () => Promise<BalanceOwner | undefined> {
  let read: Promise<BalanceOwner | undefined> | undefined;
  return () => {
    read ??= readBalanceOwner(tenantId, userId).catch(() => undefined);
    return read;
  };
}
