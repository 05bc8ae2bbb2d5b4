import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@creditgate/shared';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newUserId, tenantA, transactionCanceled, unitTestEnv } from '../../test/factories';
import { newAuditEntry } from '../audit/audit.repository';
import { moveCredits } from './credits.repository';

const ddbMock = mockClient(DynamoDBDocumentClient);

const userId = newUserId();

function moveInput(operation: 'allocate' | 'reclaim', amount = 50) {
  return {
    tenantId: tenantA,
    userId,
    operation,
    amount,
    entry: {
      entryId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
      tenantId: tenantA,
      userId,
      type: operation === 'allocate' ? ('ALLOCATE' as const) : ('RECLAIM' as const),
      amount,
      actorId: newUserId(),
      createdAt: '2025-01-01T00:00:00.000Z',
    },
    audit: newAuditEntry({
      actor: { userId: newUserId(), email: 'admin@example.test', requestId: 'req-test-1' },
      tenantId: tenantA,
      action: operation === 'allocate' ? 'credits.allocate' : 'credits.reclaim',
      targetType: 'user',
      targetId: userId,
    }),
  };
}

/** Runs `moveCredits` and returns the error it throws, failing the test if it resolves. */
async function captureMoveError(input: ReturnType<typeof moveInput>): Promise<unknown> {
  try {
    await moveCredits(input);
  } catch (error) {
    return error;
  }
  throw new Error('Expected moveCredits to throw');
}

describe('moveCredits', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    ddbMock.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('asks for old user item on failure', async () => {
    ddbMock.on(TransactWriteCommand).resolves({});

    await moveCredits(moveInput('reclaim'));

    const [call] = ddbMock.commandCalls(TransactWriteCommand);
    const userUpdate = call?.args[0].input.TransactItems?.[1]?.Update;
    expect(userUpdate?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('maps pool shortfall', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(
        transactionCanceled([
          { code: 'ConditionalCheckFailed' },
          { code: 'None' },
          { code: 'None' },
        ]),
      );

    const error = await captureMoveError(moveInput('allocate'));

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('POOL_INSUFFICIENT');
    expect((error as AppError).status).toBe(409);
  });

  it('maps user balance shortfall', async () => {
    ddbMock.on(TransactWriteCommand).rejects(
      transactionCanceled([
        { code: 'None' },
        {
          code: 'ConditionalCheckFailed',
          item: { pk: { S: `TENANT#${tenantA}` }, status: { S: 'ACTIVE' }, balance: { N: '10' } },
        },
        { code: 'None' },
      ]),
    );

    const error = await captureMoveError(moveInput('reclaim'));

    expect((error as AppError).code).toBe('USER_BALANCE_INSUFFICIENT');
    expect((error as AppError).status).toBe(409);
  });

  it('maps missing user to NOT_FOUND', async () => {
    // DynamoDB returns no Item when the conditioned item does not exist.
    ddbMock
      .on(TransactWriteCommand)
      .rejects(
        transactionCanceled([
          { code: 'None' },
          { code: 'ConditionalCheckFailed' },
          { code: 'None' },
        ]),
      );

    const error = await captureMoveError(moveInput('allocate'));

    expect((error as AppError).code).toBe('NOT_FOUND');
    expect((error as AppError).status).toBe(404);
  });

  it('maps deleted user to NOT_FOUND', async () => {
    ddbMock.on(TransactWriteCommand).rejects(
      transactionCanceled([
        { code: 'None' },
        {
          code: 'ConditionalCheckFailed',
          item: { status: { S: 'DELETED' }, balance: { N: '500' } },
        },
        { code: 'None' },
      ]),
    );

    const error = await captureMoveError(moveInput('reclaim'));

    expect((error as AppError).code).toBe('NOT_FOUND');
  });

  it('reports missing user before pool shortfall', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(
        transactionCanceled([
          { code: 'ConditionalCheckFailed' },
          { code: 'ConditionalCheckFailed' },
          { code: 'None' },
        ]),
      );

    const error = await captureMoveError(moveInput('allocate'));

    expect((error as AppError).code).toBe('NOT_FOUND');
  });

  it('keeps the cancellation as cause', async () => {
    const cancellation = transactionCanceled([
      { code: 'ConditionalCheckFailed' },
      { code: 'None' },
      { code: 'None' },
    ]);
    ddbMock.on(TransactWriteCommand).rejects(cancellation);

    const error = (await captureMoveError(moveInput('allocate'))) as AppError;

    expect(error.cause).toBe(cancellation);
  });

  it('rethrows other cancellations', async () => {
    const cancellation = transactionCanceled([
      { code: 'TransactionConflict' },
      { code: 'None' },
      { code: 'None' },
    ]);
    ddbMock.on(TransactWriteCommand).rejects(cancellation);

    const error = await captureMoveError(moveInput('allocate'));

    expect(error).toBe(cancellation);
  });

  it('rethrows non-transaction errors', async () => {
    const throttled = new Error('Rate exceeded');
    throttled.name = 'ThrottlingException';
    ddbMock.on(TransactWriteCommand).rejects(throttled);

    const error = await captureMoveError(moveInput('allocate'));

    expect(error).toBe(throttled);
  });
});
