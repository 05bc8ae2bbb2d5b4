import { createHash, randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AppError } from '@creditgate/shared';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { isConditionalCheckFailed } from '../lib/db/errors';
import { keys } from '../lib/db/keys';

/** How long a key is remembered: a repeat within this time gets the first answer. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/**
 * How long a claim stays locked. A request that crashed before its credit transaction
 * committed leaves the key `IN_PROGRESS`; after this time a repeat may take it over. A
 * committed transaction marks the key completed in the same write, so a takeover can never
 * move credits twice. API Gateway ends requests after 29 seconds.
 */
const LOCK_SECONDS = 60;

/** The request a key belongs to: an operation of one caller in one tenant. */
export interface IdempotencyScope {
  tenantId: string;
  operation: 'grant' | 'move-credits' | 'ai-call';
  callerId: string;
  key: string;
}

/** A stored answer, replayed to repeats of the request. */
export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

export interface IdempotencyRecord {
  status: 'IN_PROGRESS' | 'COMPLETED';
  fingerprint: string;
  lockId?: string;
  lockExpiresAt?: number;
  result?: Record<string, unknown>;
  response?: StoredResponse;
}

export type ClaimOutcome =
  | { kind: 'claimed'; lockId: string }
  | { kind: 'completed'; record: IdempotencyRecord };

/** Returns the SHA-256 of a canonical JSON form of `value`, to compare request bodies. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([name, entry]) => `${JSON.stringify(name)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function idempotencyKeyOf(scope: IdempotencyScope) {
  const keyHash = createHash('sha256').update(scope.key).digest('hex').slice(0, 32);
  return keys.idempotency(scope.tenantId, scope.operation, scope.callerId, keyHash);
}

/**
 * Claims a key for a new request, or reports how an earlier request with it ended. The
 * claim is a conditional put, so of two concurrent requests with one key exactly one wins;
 * the other sees `IN_PROGRESS` and answers 409. An expired record counts as absent, as
 * DynamoDB deletes expired items only eventually.
 */
export async function claimIdempotencyKey(
  scope: IdempotencyScope,
  fingerprint: string,
): Promise<ClaimOutcome> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const lockId = randomUUID();
  try {
    await getDocumentClient().send(
      new PutCommand({
        TableName: getTableName(),
        Item: {
          ...idempotencyKeyOf(scope),
          entityType: 'IdempotencyRecord',
          status: 'IN_PROGRESS',
          fingerprint,
          lockId,
          createdAt: new Date().toISOString(),
          lockExpiresAt: nowSeconds + LOCK_SECONDS,
          expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR expiresAt < :now OR (#status = :inProgress AND lockExpiresAt < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': nowSeconds, ':inProgress': 'IN_PROGRESS' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'claimed', lockId };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const existing = (error as { Item?: Record<string, unknown> }).Item;
    return { kind: 'completed', record: checkExisting(existing, fingerprint, error) };
  }
}

/** Interprets the record that blocked a claim: another body, still running, or done. */
export function checkExisting(
  existing: Record<string, unknown> | undefined,
  fingerprint: string,
  cause: unknown,
): IdempotencyRecord {
  const record = unmarshallRecord(existing);
  if (!record)
    throw new AppError(
      'IDEMPOTENCY_IN_PROGRESS',
      'A request with this Idempotency-Key is still running',
      { cause },
    );
  if (record.fingerprint !== fingerprint) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request; use a new key for a new request',
      { cause },
    );
  }
  if (record.status === 'IN_PROGRESS') {
    throw new AppError(
      'IDEMPOTENCY_IN_PROGRESS',
      'A request with this Idempotency-Key is still running; retry later',
      {
        cause,
      },
    );
  }
  return record;
}

/**
 * Returns the update that marks a claimed key completed, for the transaction of the
 * operation itself, so the credit move and the record commit together.
 */
export function completionItem(
  scope: IdempotencyScope,
  lockId: string,
  result: Record<string, unknown>,
) {
  return {
    Update: {
      TableName: getTableName(),
      Key: idempotencyKeyOf(scope),
      UpdateExpression: 'SET #status = :completed, #result = :result',
      ConditionExpression: 'lockId = :lockId',
      ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
      ExpressionAttributeValues: {
        ':completed': 'COMPLETED',
        ':result': result,
        ':lockId': lockId,
      },
    },
  };
}

/** Stores the answer for repeats; an answer that is an error also completes the record. */
export async function storeResponse(
  scope: IdempotencyScope,
  lockId: string,
  response: StoredResponse,
): Promise<void> {
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: getTableName(),
      Key: idempotencyKeyOf(scope),
      UpdateExpression: 'SET #status = :completed, #response = :response',
      ConditionExpression: 'lockId = :lockId',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: {
        ':completed': 'COMPLETED',
        ':response': response,
        ':lockId': lockId,
      },
    }),
  );
}

/** Frees a claimed key after an unexpected failure, so the client can retry with it. */
export async function releaseIdempotencyKey(
  scope: IdempotencyScope,
  lockId: string,
): Promise<void> {
  await getDocumentClient().send(
    new DeleteCommand({
      TableName: getTableName(),
      Key: idempotencyKeyOf(scope),
      ConditionExpression: 'lockId = :lockId AND #status = :inProgress',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':lockId': lockId, ':inProgress': 'IN_PROGRESS' },
    }),
  );
}

function unmarshallRecord(
  item: Record<string, unknown> | undefined,
): IdempotencyRecord | undefined {
  if (!item) return undefined;
  // The old item of a failed write arrives in DynamoDB's attribute-value form.
  const isAttributeValueMap = typeof item.status === 'object' && item.status !== null;
  return (
    isAttributeValueMap ? unmarshall(item as Record<string, AttributeValue>) : item
  ) as IdempotencyRecord;
}
