import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { AppError, type Role } from '@creditgate/shared';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { decodeCursor, encodeCursor } from '../lib/db/cursor';
import { cancellationCodes, isConditionalCheckFailed } from '../lib/db/errors';
import { keys, tenantPartition } from '../lib/db/keys';
import type { UserRecord } from './user.model';

const USER_ENTITY = 'User';
const EMAIL_CLAIM_ENTITY = 'EmailClaim';

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

/** Lists a tenant's users in id order, one page at a time. */
export async function listUsers(
  tenantId: string,
  page: { limit?: number; cursor?: string },
): Promise<{ items: UserRecord[]; nextCursor: string | null }> {
  const partition = tenantPartition(tenantId);
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.userPrefix },
      Limit: page.limit ?? 50,
      ExclusiveStartKey: decodeCursor(partition, page.cursor),
    }),
  );
  return {
    items: (result.Items ?? []).map(toUserRecord),
    nextCursor: encodeCursor(partition, result.LastEvaluatedKey),
  };
}

/**
 * Reads every user record of a tenant, all pages. The seat limit bounds the count, so
 * tenant totals summed from it stay one short query sequence.
 */
export async function listAllUsers(tenantId: string): Promise<UserRecord[]> {
  const users: UserRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listUsers(tenantId, { limit: 100, cursor });
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
  seatLimit: number;
  now: string;
}) {
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
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
              UpdateExpression: 'ADD seatsUsed :one',
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
      }),
    );
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') {
      // The message must not reveal which tenant holds the email.
      throw new AppError('USER_EXISTS', 'A user with this email already exists', { cause: error });
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
export async function cancelInvitation(input: { tenantId: string; email: string }): Promise<void> {
  await getDocumentClient().send(
    new TransactWriteCommand({
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
            UpdateExpression: 'ADD seatsUsed :minusOne',
            ExpressionAttributeValues: { ':minusOne': -1 },
          },
        },
      ],
    }),
  );
}

/** Writes the user record of a reserved invitation once Cognito has assigned the user id. */
export async function completeInvitation(user: UserRecord): Promise<void> {
  await getDocumentClient().send(
    new TransactWriteCommand({
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
      ],
    }),
  );
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
