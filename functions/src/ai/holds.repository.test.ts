import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@creditgate/shared';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newUserId, tenantA, transactionCanceled, unitTestEnv } from '../../test/factories';
import { keys, tenantPartition } from '../lib/db/keys';
import { closeHold, type Hold, placeHold } from './holds.repository';

const ddbMock = mockClient(DynamoDBDocumentClient);

const hold: Hold = {
  tenantId: tenantA,
  userId: newUserId(),
  requestId: 'req_01JAAAAAAAAAAAAAAAAAAAAAAA',
  amount: 120,
  model: 'gpt-4o-mini',
  holdExpiresAt: 1_735_690_000_000,
  createdAt: '2025-01-01T00:00:00.000Z',
};

/** Builds the old user item in DynamoDB JSON, as `ALL_OLD` returns it in a cancellation. */
function oldUser(overrides: Record<string, AttributeValue> = {}): Record<string, AttributeValue> {
  return {
    pk: { S: tenantPartition(hold.tenantId) },
    sk: { S: `USER#${hold.userId}` },
    status: { S: 'ACTIVE' },
    tenantStatus: { S: 'ACTIVE' },
    role: { S: 'User' },
    balance: { N: '1000' },
    ...overrides,
  };
}

/** Makes the hold transaction fail on the user item. Omit `user` for a missing user item. */
function rejectOnUser(user?: Record<string, AttributeValue>): void {
  ddbMock
    .on(TransactWriteCommand)
    .rejects(
      transactionCanceled([
        { code: 'ConditionalCheckFailed', ...(user && { item: user }) },
        { code: 'None' },
        { code: 'None' },
      ]),
    );
}

/** Runs `placeHold` and returns the `AppError` it throws, failing the test otherwise. */
async function captureHoldError(): Promise<AppError> {
  try {
    await placeHold(hold);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('Expected placeHold to throw');
}

describe('placeHold', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    ddbMock.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes only caller items', async () => {
    ddbMock.on(TransactWriteCommand).resolves({});

    await placeHold(hold);

    const [call] = ddbMock.commandCalls(TransactWriteCommand);
    const itemKeys = (call?.args[0].input.TransactItems ?? []).map((item) => {
      const key = item.Update?.Key ?? item.Put?.Item;
      return `${key?.pk} ${key?.sk}`;
    });
    expect(itemKeys).toEqual([
      `${tenantPartition(tenantA)} USER#${hold.userId}`,
      `${tenantPartition(tenantA)} HOLD#${hold.requestId}`,
      `${tenantPartition(tenantA)} LEDGER#01JAAAAAAAAAAAAAAAAAAAAAAA#1`,
    ]);
    expect(itemKeys).not.toContain(`${keys.tenant(tenantA).pk} ${keys.tenant(tenantA).sk}`);
  });

  it('maps missing user to 401', async () => {
    rejectOnUser();

    const error = await captureHoldError();

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.status).toBe(401);
  });

  it('maps deleted user to 401', async () => {
    rejectOnUser(oldUser({ status: { S: 'DELETED' } }));

    const error = await captureHoldError();

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.status).toBe(401);
  });

  it('maps disabled user to ACCOUNT_DISABLED', async () => {
    rejectOnUser(oldUser({ status: { S: 'DISABLED' } }));

    const error = await captureHoldError();

    expect(error.code).toBe('ACCOUNT_DISABLED');
    expect(error.status).toBe(403);
  });

  it('maps suspended tenant to TENANT_SUSPENDED', async () => {
    rejectOnUser(oldUser({ tenantStatus: { S: 'SUSPENDED' } }));

    const error = await captureHoldError();

    expect(error.code).toBe('TENANT_SUSPENDED');
    expect(error.status).toBe(403);
  });

  it('maps SuperAdmin to FORBIDDEN', async () => {
    rejectOnUser(oldUser({ role: { S: 'SuperAdmin' } }));

    const error = await captureHoldError();

    expect(error.code).toBe('FORBIDDEN');
    expect(error.status).toBe(403);
  });

  it('maps low balance to INSUFFICIENT_CREDITS', async () => {
    rejectOnUser(oldUser({ balance: { N: '75' } }));

    const error = await captureHoldError();

    expect(error.code).toBe('INSUFFICIENT_CREDITS');
    expect(error.status).toBe(402);
    expect(error.details).toEqual({ required: 120, balance: 75 });
  });

  it('reports disabled before low balance', async () => {
    rejectOnUser(oldUser({ status: { S: 'DISABLED' }, balance: { N: '0' } }));

    const error = await captureHoldError();

    expect(error.code).toBe('ACCOUNT_DISABLED');
  });

  it('maps invited TenantAdmin shortfall', async () => {
    rejectOnUser(
      oldUser({ status: { S: 'INVITED' }, role: { S: 'TenantAdmin' }, balance: { N: '0' } }),
    );

    const error = await captureHoldError();

    expect(error.code).toBe('INSUFFICIENT_CREDITS');
  });

  it('retries a hold that met a concurrent write of the same user', async () => {
    // On AWS the previous call's settlement can touch the user item at the same moment.
    ddbMock
      .on(TransactWriteCommand)
      .rejectsOnce(
        transactionCanceled([{ code: 'TransactionConflict' }, { code: 'None' }, { code: 'None' }]),
      )
      .resolves({});

    await placeHold(hold);

    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('retries a settlement that met a concurrent write of the same user', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejectsOnce(
        transactionCanceled([
          { code: 'TransactionConflict' },
          { code: 'None' },
          { code: 'None' },
          { code: 'None' },
        ]),
      )
      .resolves({});

    await closeHold({
      hold,
      charge: 50,
      entry: {
        tenantId: hold.tenantId,
        userId: hold.userId,
        requestId: hold.requestId,
        actorId: hold.userId,
        createdAt: hold.createdAt,
      },
    });

    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('rethrows duplicate hold', async () => {
    // The user item passed, but a hold for this request id exists already.
    const cancellation = transactionCanceled([
      { code: 'None' },
      { code: 'ConditionalCheckFailed' },
      { code: 'None' },
    ]);
    ddbMock.on(TransactWriteCommand).rejects(cancellation);

    await expect(placeHold(hold)).rejects.toBe(cancellation);
  });
});
