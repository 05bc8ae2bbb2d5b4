import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, type CreditRequestStatus } from '@creditgate/shared';
import type { AuditEntry } from '../audit/audit.model';
import { auditPut } from '../audit/audit.repository';
import type { LedgerEntry } from '../credits/ledger.model';
import { ledgerEntryItem } from '../credits/ledger.repository';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { decodeCursor, encodeCursor } from '../lib/db/cursor';
import { cancellationCodes, cancellationItem } from '../lib/db/errors';
import { keys, tenantPartition } from '../lib/db/keys';
import { type CreditRequestRecord, MAX_PENDING_PER_USER } from './credit-request.model';

const CREDIT_REQUEST_ENTITY = 'CreditRequest';

/**
 * Stores a new request and counts it among the user's pending ones, in one transaction. The
 * count on the user item caps pending requests; a deleted user cannot ask.
 */
export async function putCreditRequest(request: CreditRequestRecord): Promise<void> {
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: getTableName(),
              Key: keys.user(request.tenantId, request.userId),
              UpdateExpression: 'ADD pendingCreditRequests :one',
              ConditionExpression:
                'attribute_exists(pk) AND #status <> :deleted AND ' +
                '(attribute_not_exists(pendingCreditRequests) OR pendingCreditRequests < :max)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':one': 1,
                ':deleted': 'DELETED',
                ':max': MAX_PENDING_PER_USER,
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Put: {
              TableName: getTableName(),
              Item: {
                ...keys.creditRequest(request.tenantId, request.requestId),
                ...keys.userCreditRequestIndex(request.tenantId, request.userId, request.requestId),
                entityType: CREDIT_REQUEST_ENTITY,
                ...request,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    const user = cancellationItem(error, 0);
    if (!user || user.status === 'DELETED') {
      throw new AppError('UNAUTHENTICATED', 'No active account matches this token; sign in again', {
        cause: error,
      });
    }
    throw new AppError(
      'CONFLICT',
      `You already have ${MAX_PENDING_PER_USER} pending credit requests; wait for an answer`,
      { cause: error },
    );
  }
}

export async function getCreditRequest(
  tenantId: string,
  requestId: string,
): Promise<CreditRequestRecord | undefined> {
  const result = await getDocumentClient().send(
    new GetCommand({
      TableName: getTableName(),
      Key: keys.creditRequest(tenantId, requestId),
      ConsistentRead: true,
    }),
  );
  return result.Item as CreditRequestRecord | undefined;
}

/**
 * Lists credit requests newest first: the tenant's, or one user's through gsi1. DynamoDB
 * applies the status filter after `limit`, so a filtered page can be shorter than the limit
 * while `nextCursor` still leads to more.
 */
export async function listCreditRequests(input: {
  tenantId: string;
  userId?: string;
  status?: CreditRequestStatus;
  limit?: number;
  cursor?: string;
}) {
  const isUserList = input.userId !== undefined;
  const partition = isUserList
    ? keys.userCreditRequestPartition(input.tenantId, input.userId as string)
    : tenantPartition(input.tenantId);
  const scope = {
    partition,
    sortKeyPrefix: keys.creditRequestPrefix,
    ...(isUserList && { index: 'gsi1' as const }),
  };
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: getTableName(),
      ...(isUserList && { IndexName: 'gsi1' }),
      KeyConditionExpression: isUserList
        ? 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)'
        : 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': partition,
        ':prefix': keys.creditRequestPrefix,
        ...(input.status && { ':status': input.status }),
      },
      ...(input.status && {
        FilterExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
      ScanIndexForward: false,
      Limit: input.limit ?? 50,
      ExclusiveStartKey: decodeCursor(scope, input.cursor),
    }),
  );
  return {
    items: (result.Items ?? []) as CreditRequestRecord[],
    nextCursor: encodeCursor(scope, result.LastEvaluatedKey),
  };
}

/** The decision written onto a pending request. */
interface Decision {
  request: CreditRequestRecord;
  status: 'APPROVED' | 'DENIED';
  decidedAt: string;
  decidedBy: string;
  note?: string;
  entry: LedgerEntry;
  audit: AuditEntry;
}

/**
 * Approves a pending request: the request's decision, the allocation from the pool to the
 * user and its ledger entry, and the audit entry, in one transaction.
 */
export async function approveCreditRequest(decision: Decision): Promise<void> {
  const { request } = decision;
  const items = [
    decide(decision),
    {
      Update: {
        TableName: getTableName(),
        Key: keys.tenant(request.tenantId),
        UpdateExpression: 'ADD poolBalance :delta',
        ConditionExpression: 'poolBalance >= :amount',
        ExpressionAttributeValues: { ':delta': -request.amount, ':amount': request.amount },
      },
    },
    {
      Update: {
        TableName: getTableName(),
        Key: keys.user(request.tenantId, request.userId),
        UpdateExpression: 'ADD balance :amount, pendingCreditRequests :minusOne',
        ConditionExpression: 'attribute_exists(pk) AND #status <> :deleted',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':amount': request.amount,
          ':minusOne': -1,
          ':deleted': 'DELETED',
        },
      },
    },
    { Put: { TableName: getTableName(), Item: ledgerEntryItem(decision.entry) } },
    auditPut(decision.audit),
  ];
  try {
    await getDocumentClient().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (codes[0] === 'ConditionalCheckFailed') throw notPending(error);
    if (codes[1] === 'ConditionalCheckFailed') {
      throw new AppError(
        'POOL_INSUFFICIENT',
        `The tenant pool has less than ${request.amount} credits; grant more credits or approve a smaller request`,
        {
          cause: error,
        },
      );
    }
    if (codes[2] === 'ConditionalCheckFailed') {
      throw new AppError('CONFLICT', 'The user who asked was deleted; deny the request instead', {
        cause: error,
      });
    }
    throw error;
  }
}

/** Denies a pending request with its REQUEST_DENIED ledger entry and audit entry. */
export async function denyCreditRequest(decision: Decision): Promise<void> {
  const { request } = decision;
  try {
    await getDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          decide(decision),
          {
            Update: {
              TableName: getTableName(),
              Key: keys.user(request.tenantId, request.userId),
              UpdateExpression: 'ADD pendingCreditRequests :minusOne',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':minusOne': -1 },
            },
          },
          { Put: { TableName: getTableName(), Item: ledgerEntryItem(decision.entry) } },
          auditPut(decision.audit),
        ],
      }),
    );
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw notPending(error);
    throw error;
  }
}

function decide(decision: Decision) {
  return {
    Update: {
      TableName: getTableName(),
      Key: keys.creditRequest(decision.request.tenantId, decision.request.requestId),
      UpdateExpression: `SET #status = :status, decidedAt = :decidedAt, decidedBy = :decidedBy${
        decision.note ? ', note = :note' : ''
      }`,
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': decision.status,
        ':pending': 'PENDING',
        ':decidedAt': decision.decidedAt,
        ':decidedBy': decision.decidedBy,
        ...(decision.note && { ':note': decision.note }),
      },
    },
  };
}

function notPending(cause: unknown): AppError {
  return new AppError('CONFLICT', 'The credit request was already decided', { cause });
}
