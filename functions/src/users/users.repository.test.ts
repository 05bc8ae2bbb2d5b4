import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@creditgate/shared';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tenantA, tenantB, transactionCanceled, unitTestEnv } from '../../test/factories';
import { reserveInvitation } from './users.repository';

const ddbMock = mockClient(DynamoDBDocumentClient);

const invitation = {
  tenantId: tenantA,
  email: 'new.user@example.test',
  role: 'User' as const,
  seatLimit: 5,
  now: '2025-01-01T00:00:00.000Z',
};

/** Runs `reserveInvitation` and returns the error it throws, failing the test otherwise. */
async function captureReserveError(): Promise<unknown> {
  try {
    await reserveInvitation(invitation);
  } catch (error) {
    return error;
  }
  throw new Error('Expected reserveInvitation to throw');
}

describe('reserveInvitation', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    ddbMock.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('claims email and seat in one transaction', async () => {
    ddbMock.on(TransactWriteCommand).resolves({});

    await reserveInvitation(invitation);

    const [call] = ddbMock.commandCalls(TransactWriteCommand);
    const [claim, seat] = call?.args[0].input.TransactItems ?? [];
    expect(claim?.Put?.Item).toMatchObject({
      pk: 'EMAIL#new.user@example.test',
      tenantId: tenantA,
    });
    expect(claim?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(seat?.Update?.ExpressionAttributeValues).toMatchObject({ ':seatLimit': 5 });
  });

  it('maps taken email to USER_EXISTS', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(transactionCanceled([{ code: 'ConditionalCheckFailed' }, { code: 'None' }]));

    const error = await captureReserveError();

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('USER_EXISTS');
    expect((error as AppError).status).toBe(409);
  });

  it('maps full tenant to SEAT_LIMIT_REACHED', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(transactionCanceled([{ code: 'None' }, { code: 'ConditionalCheckFailed' }]));

    const error = await captureReserveError();

    expect((error as AppError).code).toBe('SEAT_LIMIT_REACHED');
    expect((error as AppError).status).toBe(409);
  });

  it('prefers USER_EXISTS when both fail', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(
        transactionCanceled([
          { code: 'ConditionalCheckFailed' },
          { code: 'ConditionalCheckFailed' },
        ]),
      );

    const error = await captureReserveError();

    expect((error as AppError).code).toBe('USER_EXISTS');
  });

  it('names no tenant in USER_EXISTS', async () => {
    // Even when DynamoDB reports the existing claim, the error must not reveal its tenant.
    const existingClaim = {
      pk: { S: 'EMAIL#new.user@example.test' },
      tenantId: { S: tenantB },
    };
    ddbMock
      .on(TransactWriteCommand)
      .rejects(
        transactionCanceled([
          { code: 'ConditionalCheckFailed', item: existingClaim },
          { code: 'None' },
        ]),
      );

    const error = (await captureReserveError()) as AppError;

    expect(error.message).not.toContain(tenantB);
    expect(error.message).not.toContain(tenantA);
    expect(JSON.stringify(error.toBody())).not.toContain(tenantB);
    expect(JSON.stringify(error.toBody())).not.toContain(tenantA);
  });

  it('keeps the cancellation as cause', async () => {
    const cancellation = transactionCanceled([
      { code: 'None' },
      { code: 'ConditionalCheckFailed' },
    ]);
    ddbMock.on(TransactWriteCommand).rejects(cancellation);

    const error = (await captureReserveError()) as AppError;

    expect(error.cause).toBe(cancellation);
  });

  it('rethrows other cancellations', async () => {
    const cancellation = transactionCanceled([{ code: 'TransactionConflict' }, { code: 'None' }]);
    ddbMock.on(TransactWriteCommand).rejects(cancellation);

    const error = await captureReserveError();

    expect(error).toBe(cancellation);
  });
});
