import {
  GetCommand,
  QueryCommand,
  type TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { AppError, type Role, type TenantStatus, USER_EXISTS_MESSAGE } from '@creditgate/shared';
import type { AuditEntry } from '../audit/audit.model';
import { auditPut } from '../audit/audit.repository';
import type { LedgerEntry } from '../credits/ledger.model';
import { ledgerEntryItem } from '../credits/ledger.repository';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { decodeCursor, encodeCursor } from '../lib/db/cursor';
import { cancellationCodes, cancellationItem, isConditionalCheckFailed } from '../lib/db/errors';
import { keys, tenantPartition } from '../lib/db/keys';
import { transactWrite } from '../lib/db/transact';
import type { UserRecord } from './user.model';

const USER_ENTITY = 'User';
const EMAIL_CLAIM_ENTITY = 'EmailClaim';

/**
 * Users who count towards `adminCount` on the tenant item: TenantAdmins that are invited or
 * active. Every change that removes one requires `adminCount > 1`, so a tenant always keeps
 * at least one admin who can act.
 */
const isCountedAdmin = (user: Pick<UserRecord, 'role' | 'status'>): boolean =>
  user.role === 'TenantAdmin' && (user.status === 'INVITED' || user.status === 'ACTIVE');

/** Reads one user record of one tenant (strongly consistent, so admin changes apply at once). */
export async function getUser(tenantId: string, userId: string): Promise<UserRecord | undefined> {
  const result = await getDocumentClient().send(
    new GetCommand({
      TableName: getTableName(),
      Key: keys.user(tenantId, userId),
      ConsistentRead: true,
    }),
  );
  return result.Item ? toUserRecord(result.Item) : undefined;
}

/**
 * Lists a tenant's users in id order, one page at a time. Deleted users are left out unless
 * asked for; their records stay for the ledger and the totals.
 */
export async function listUsers(
  tenantId: string,
  page: { limit?: number; cursor?: string; isDeletedIncluded?: boolean },
): Promise<{ items: UserRecord[]; nextCursor: string | null }> {
  const partition = tenantPartition(tenantId);
  const scope = { partition, sortKeyPrefix: keys.userPrefix };
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...(page.isDeletedIncluded
        ? { ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.userPrefix } }
        : {
            FilterExpression: '#status <> :deleted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':pk': partition,
              ':prefix': keys.userPrefix,
              ':deleted': 'DELETED',
            },
          }),
      Limit: page.limit ?? 50,
      ExclusiveStartKey: decodeCursor(scope, page.cursor),
      ConsistentRead: true,
    }),
  );
  return {
    items: (result.Items ?? []).map(toUserRecord),
    nextCursor: encodeCursor(scope, result.LastEvaluatedKey),
  };
}

/**
 * Reads every user record of a tenant, deleted ones included, all pages. The seat limit
 * bounds the live users, so tenant totals summed from it stay a short query sequence.
 */
export async function listAllUsers(tenantId: string): Promise<UserRecord[]> {
  const users: UserRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listUsers(tenantId, { limit: 100, cursor, isDeletedIncluded: true });
    users.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return users;
}

/**
 * Reserves a new member's email and seat before the Cognito user exists: the email claim
 * must be new in every tenant, and the tenant must be active with a free seat.
 */
export async function reserveInvitation(input: {
  tenantId: string;
  email: string;
  role: Role;
  seatLimit: number;
  now: string;
}) {
  const isAdmin = input.role === 'TenantAdmin';
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: getTableName(),
            Item: {
              ...keys.emailClaim(input.email),
              entityType: EMAIL_CLAIM_ENTITY,
              email: input.email,
              tenantId: input.tenantId,
              state: 'RESERVED',
              createdAt: input.now,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: getTableName(),
            Key: keys.tenant(input.tenantId),
            UpdateExpression: isAdmin
              ? 'ADD seatsUsed :one, adminCount :one'
              : 'ADD seatsUsed :one',
            ConditionExpression: '#status = :active AND seatsUsed < :seatLimit',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':active': 'ACTIVE',
              ':seatLimit': input.seatLimit,
            },
          },
        },
      ],
    });
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') {
      // The message must not reveal which tenant has the email.
      throw new AppError('USER_EXISTS', USER_EXISTS_MESSAGE, { cause: error });
    }
    if (codes?.[1] === 'ConditionalCheckFailed') {
      throw new AppError('SEAT_LIMIT_REACHED', 'The plan has no free seat for another user', {
        cause: error,
      });
    }
    throw error;
  }
}

/** Undoes `reserveInvitation` after Cognito refused to create the user. */
export async function cancelInvitation(input: {
  tenantId: string;
  email: string;
  role: Role;
}): Promise<void> {
  const isAdmin = input.role === 'TenantAdmin';
  await transactWrite({
    TransactItems: [
      {
        Delete: {
          TableName: getTableName(),
          Key: keys.emailClaim(input.email),
          ConditionExpression: '#state = :reserved',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':reserved': 'RESERVED' },
        },
      },
      {
        Update: {
          TableName: getTableName(),
          Key: keys.tenant(input.tenantId),
          UpdateExpression: isAdmin
            ? 'ADD seatsUsed :minusOne, adminCount :minusOne'
            : 'ADD seatsUsed :minusOne',
          ExpressionAttributeValues: { ':minusOne': -1 },
        },
      },
    ],
  });
}

/**
 * Writes the user record of a reserved invitation, once Cognito has assigned the user id,
 * with its audit entry.
 */
export async function completeInvitation(user: UserRecord, audit: AuditEntry): Promise<void> {
  await transactWrite({
    TransactItems: [
      {
        Put: {
          TableName: getTableName(),
          Item: { ...keys.user(user.tenantId, user.userId), entityType: USER_ENTITY, ...user },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: getTableName(),
          Key: keys.emailClaim(user.email),
          UpdateExpression: 'SET #state = :claimed, userId = :userId',
          ConditionExpression: 'tenantId = :tenantId',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':claimed': 'CLAIMED',
            ':userId': user.userId,
            ':tenantId': user.tenantId,
          },
        },
      },
      {
        // A suspension that ran since the reservation has not marked this user yet.
        ConditionCheck: {
          TableName: getTableName(),
          Key: keys.tenant(user.tenantId),
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'ACTIVE' },
        },
      },
      auditPut(audit),
    ],
  });
}

/** Marks an invited user active at the first successful sign-in; other states are kept. */
export async function markUserActive(
  tenantId: string,
  userId: string,
  now: string,
): Promise<boolean> {
  try {
    await getDocumentClient().send(
      new UpdateCommand({
        TableName: getTableName(),
        Key: keys.user(tenantId, userId),
        UpdateExpression: 'SET #status = :active, activatedAt = :now',
        ConditionExpression: '#status = :invited',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': 'ACTIVE', ':invited': 'INVITED', ':now': now },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** Records a resent invitation on the user, with its audit entry; the user must still be invited. */
export async function recordInvitationResent(
  user: UserRecord,
  now: string,
  audit: AuditEntry,
): Promise<void> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: getTableName(),
            Key: keys.user(user.tenantId, user.userId),
            UpdateExpression: 'SET invitedAt = :now',
            ConditionExpression: '#status = :invited',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':now': now, ':invited': 'INVITED' },
          },
        },
        auditPut(audit),
      ],
    });
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      throw new AppError(
        'CONFLICT',
        'Only a user who has not signed in yet can get the invitation again',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/**
 * Changes a user's role or status from the state read in `before`, with its audit entry.
 * The user item's condition makes the write fail if the user changed since that read.
 * Removing a counted admin requires another one on the tenant (`adminCount > 1`).
 */
export async function updateUserAccess(input: {
  before: UserRecord;
  role: Role;
  status: UserRecord['status'];
  now: string;
  audit: AuditEntry;
}): Promise<void> {
  const { before } = input;
  const adminDelta =
    Number(isCountedAdmin({ role: input.role, status: input.status })) -
    Number(isCountedAdmin(before));
  const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> =
    [
      {
        Update: {
          TableName: getTableName(),
          Key: keys.user(before.tenantId, before.userId),
          UpdateExpression: 'SET #role = :role, #status = :status, updatedAt = :now',
          ConditionExpression: '#role = :oldRole AND #status = :oldStatus',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ExpressionAttributeNames: { '#role': 'role', '#status': 'status' },
          ExpressionAttributeValues: {
            ':role': input.role,
            ':status': input.status,
            ':now': input.now,
            ':oldRole': before.role,
            ':oldStatus': before.status,
          },
        },
      },
      auditPut(input.audit),
    ];
  if (adminDelta !== 0) items.push(adminCountUpdate(before.tenantId, adminDelta));
  try {
    await transactWrite({ TransactItems: items });
  } catch (error) {
    throw accessChangeError(error);
  }
}

/**
 * Deletes a user: the record stays with status `DELETED` for the ledger, its unspent
 * balance returns to the pool with a ledger entry, the seat and the email claim are
 * released so the email can be invited again. A user with a call in progress (`held > 0`)
 * cannot be deleted until it settles.
 */
export async function markUserDeleted(input: {
  before: UserRecord;
  now: string;
  ledgerEntry: LedgerEntry | undefined;
  audit: AuditEntry;
}): Promise<void> {
  const { before } = input;
  const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> =
    [
      {
        Update: {
          TableName: getTableName(),
          Key: keys.user(before.tenantId, before.userId),
          UpdateExpression: 'SET #status = :deleted, balance = :zero, deletedAt = :now',
          ConditionExpression: '#status = :oldStatus AND balance = :balance AND held = :zero',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':deleted': 'DELETED',
            ':zero': 0,
            ':now': input.now,
            ':oldStatus': before.status,
            ':balance': before.balance,
          },
        },
      },
      {
        Update: {
          TableName: getTableName(),
          Key: keys.tenant(before.tenantId),
          UpdateExpression: isCountedAdmin(before)
            ? 'ADD poolBalance :balance, seatsUsed :minusOne, adminCount :minusOne'
            : 'ADD poolBalance :balance, seatsUsed :minusOne',
          ...(isCountedAdmin(before) && { ConditionExpression: 'adminCount > :one' }),
          ExpressionAttributeValues: {
            ':balance': before.balance,
            ':minusOne': -1,
            ...(isCountedAdmin(before) && { ':one': 1 }),
          },
        },
      },
      {
        Delete: {
          TableName: getTableName(),
          Key: keys.emailClaim(before.email),
          ConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': before.userId },
        },
      },
      auditPut(input.audit),
    ];
  if (input.ledgerEntry)
    items.push({ Put: { TableName: getTableName(), Item: ledgerEntryItem(input.ledgerEntry) } });
  try {
    await transactWrite({ TransactItems: items });
  } catch (error) {
    throw accessChangeError(error);
  }
}

/**
 * Copies a tenant's status onto one of its user items. Calls check the copy inside their
 * hold, so suspension reaches them without a tenant-wide read on the call path.
 */
export async function setUserTenantStatus(
  tenantId: string,
  userId: string,
  status: TenantStatus,
): Promise<void> {
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: getTableName(),
      Key: keys.user(tenantId, userId),
      UpdateExpression: 'SET tenantStatus = :status',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':status': status },
    }),
  );
}

function adminCountUpdate(tenantId: string, delta: number) {
  return {
    Update: {
      TableName: getTableName(),
      Key: keys.tenant(tenantId),
      UpdateExpression: 'ADD adminCount :delta',
      ...(delta < 0 && { ConditionExpression: 'adminCount > :one' }),
      ExpressionAttributeValues: { ':delta': delta, ...(delta < 0 && { ':one': 1 }) },
    },
  };
}

/** Maps a cancelled user change to the reason: a changed user, the last admin, or a call in progress. */
function accessChangeError(error: unknown): unknown {
  const codes = cancellationCodes(error);
  if (!codes) return error;
  const tenantIndex = codes.findIndex(
    (code, index) => index > 0 && code === 'ConditionalCheckFailed',
  );
  if (codes[0] === 'ConditionalCheckFailed') {
    const user = cancellationItem(error, 0);
    if (user && Number(user.held ?? 0) > 0) {
      return new AppError(
        'CONFLICT',
        'The user has an AI call in progress; try again in a minute',
        { cause: error },
      );
    }
    return new AppError(
      'CONFLICT',
      'The user changed while this request ran; reload and try again',
      { cause: error },
    );
  }
  if (tenantIndex !== -1) {
    return new AppError('CONFLICT', 'A tenant must keep at least one TenantAdmin who can sign in', {
      cause: error,
    });
  }
  return error;
}

function toUserRecord(item: Record<string, unknown>): UserRecord {
  return {
    tenantId: item.tenantId as string,
    userId: item.userId as string,
    email: item.email as string,
    role: item.role as Role,
    status: item.status as UserRecord['status'],
    tenantStatus: (item.tenantStatus as UserRecord['tenantStatus']) ?? 'ACTIVE',
    balance: Number(item.balance ?? 0),
    held: Number(item.held ?? 0),
    spent: Number(item.spent ?? 0),
    createdAt: item.createdAt as string,
    invitedAt: item.invitedAt as string | undefined,
    activatedAt: item.activatedAt as string | undefined,
    lastActiveAt: item.lastActiveAt as string | undefined,
  };
}
