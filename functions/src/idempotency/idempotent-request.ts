import { AppError, validationError } from '@creditgate/shared';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { jsonResponse } from '../lib/http/response';
import { logger } from '../lib/logger';
import {
  claimIdempotencyKey,
  completionItem,
  fingerprintOf,
  type IdempotencyRecord,
  type IdempotencyScope,
  releaseIdempotencyKey,
  type StoredResponse,
  storeResponse,
} from './idempotency.repository';

/** The handle a service uses to complete a claimed key inside its own transaction. */
export interface IdempotencyCompletion {
  item(result: Record<string, unknown>): ReturnType<typeof completionItem>;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Returns the `Idempotency-Key` header, checked: 1 to 255 visible ASCII characters. */
export function readIdempotencyKey(headers: APIGatewayProxyEvent['headers']): string | undefined {
  const value = Object.entries(headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'idempotency-key',
  )?.[1];
  if (value === undefined) return undefined;
  if (!KEY_PATTERN.test(value)) {
    throw validationError([
      { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return value;
}

/**
 * Runs a credit-moving request at most once per `Idempotency-Key`. A repeat gets the first
 * answer (marked `idempotent-replayed: true`); a repeat while the first runs answers 409
 * IDEMPOTENCY_IN_PROGRESS; the same key with another body answers 422
 * IDEMPOTENCY_KEY_REUSED. `run` must put `completion.item(...)` in the transaction that
 * moves the credits, so a crash cannot move them without marking the key. Refusals (4xx)
 * are stored and replayed too; an unexpected failure frees the key for a retry.
 */
export async function runIdempotent(input: {
  event: APIGatewayProxyEvent;
  scope: Omit<IdempotencyScope, 'key'>;
  request: unknown;
  run: (completion: IdempotencyCompletion | undefined) => Promise<APIGatewayProxyResult>;
  /** Rebuilds the answer from the completion result if the first request ended before storing it. */
  replay: (result: Record<string, unknown>) => Promise<StoredResponse>;
}): Promise<APIGatewayProxyResult> {
  const key = readIdempotencyKey(input.event.headers);
  if (key === undefined) return input.run(undefined);

  const scope: IdempotencyScope = { ...input.scope, key };
  const claim = await claimIdempotencyKey(scope, fingerprintOf(input.request));
  if (claim.kind === 'completed') {
    logger.info('Idempotent request replayed', { operation: scope.operation });
    const replayed = await replayResponse(claim.record, input.replay);
    return jsonResponse(replayed.statusCode, replayed.body, { 'idempotent-replayed': 'true' });
  }

  const completion: IdempotencyCompletion = {
    item: (result) => completionItem(scope, claim.lockId, result),
  };
  let response: APIGatewayProxyResult;
  try {
    response = await input.run(completion);
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      await storeResponse(scope, claim.lockId, { statusCode: error.status, body: error.toBody() });
      throw error;
    }
    await releaseIdempotencyKey(scope, claim.lockId).catch((releaseError: unknown) =>
      logger.error('Freeing an idempotency key failed; it frees itself when it expires', {
        error: releaseError as Error,
      }),
    );
    throw error;
  }
  await storeResponse(scope, claim.lockId, {
    statusCode: response.statusCode,
    body: JSON.parse(response.body),
  });
  return response;
}

/**
 * Returns the stored answer of a completed request. Between its credit transaction and
 * storing the answer, a first request is still finishing, so a repeat answers
 * IDEMPOTENCY_IN_PROGRESS; once its lock has expired, it crashed in that gap and the answer
 * is rebuilt from the completion result.
 */
async function replayResponse(
  record: IdempotencyRecord,
  replay: (result: Record<string, unknown>) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  if (record.response) return record.response;
  const isLocked = (record.lockExpiresAt ?? 0) > Math.floor(Date.now() / 1000);
  if (isLocked || !record.result) {
    throw new AppError(
      'IDEMPOTENCY_IN_PROGRESS',
      'A request with this Idempotency-Key is still running; retry later',
    );
  }
  return replay(record.result);
}
