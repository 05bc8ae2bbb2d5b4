import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  newUserId,
  superAdminUser,
  tenantA,
  transactionCanceled,
  unitTestEnv,
  userItem,
} from '../../test/factories';
import type { Caller } from '../lib/auth/authenticate';
import { keys } from '../lib/db/keys';
import { grantCredits } from './credits.service';

const ddbMock = mockClient(DynamoDBDocumentClient);

const actor: Caller = { ...superAdminUser(), email: 'root@example.test', requestId: 'req-test-1' };

/** Builds a tenant item whose `granted` equals pool plus the totals of `storeUsers`. */
function tenantItem(overrides: Record<string, unknown> = {}) {
  return {
    ...keys.tenant(tenantA),
    tenantId: tenantA,
    name: 'Acme',
    planId: 'pln_01JAAAAAAAAAAAAAAAAAAAAAAA',
    status: 'ACTIVE',
    creditLimit: 1_000,
    poolBalance: 100,
    granted: 300,
    seatsUsed: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Stores one user with 150 allocated, 20 held and 30 spent, so 270 credits are unspent. */
function storeUsers(): void {
  const user = { userId: newUserId(), tenantId: tenantA, role: 'User' as const };
  ddbMock
    .on(QueryCommand)
    .resolves({ Items: [userItem(user, { balance: 150, held: 20, spent: 30 })] });
}

/** Returns the condition values of every grant transaction sent, in order. */
function grantConditions() {
  return ddbMock
    .commandCalls(TransactWriteCommand)
    .map((call) => call.args[0].input.TransactItems?.[0]?.Update?.ExpressionAttributeValues);
}

const tenantRace = () =>
  transactionCanceled([{ code: 'ConditionalCheckFailed' }, { code: 'None' }]);

describe('grantCredits', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    ddbMock.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('grants up to credit limit', async () => {
    ddbMock.on(GetCommand).resolves({ Item: tenantItem() });
    storeUsers();
    ddbMock.on(TransactWriteCommand).resolves({});

    // 270 unspent + 730 reaches the limit of 1,000 exactly.
    const result = await grantCredits({
      tenantId: tenantA,
      actor,
      input: { amount: 730, reason: 'Top-up' },
    });

    expect(result.poolBalance).toBe(830);
    expect(grantConditions()).toEqual([
      { ':amount': 730, ':expectedGranted': 300, ':expectedLimit': 1_000 },
    ]);
  });

  it('rejects grant above credit limit without writing', async () => {
    ddbMock.on(GetCommand).resolves({ Item: tenantItem() });
    storeUsers();

    const promise = grantCredits({
      tenantId: tenantA,
      actor,
      input: { amount: 731, reason: 'Top-up' },
    });

    await expect(promise).rejects.toMatchObject({
      code: 'CREDIT_LIMIT_EXCEEDED',
      status: 409,
      details: { creditLimit: 1_000, unspent: 270 },
    });
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('rejects grant to missing tenant', async () => {
    ddbMock.on(GetCommand).resolves({});

    const promise = grantCredits({
      tenantId: tenantA,
      actor,
      input: { amount: 1, reason: 'Top-up' },
    });

    await expect(promise).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('retries after lost race', async () => {
    // Another grant of 100 lands between the first read and the first write.
    ddbMock
      .on(GetCommand)
      .resolvesOnce({ Item: tenantItem() })
      .resolves({ Item: tenantItem({ poolBalance: 200, granted: 400 }) });
    storeUsers();
    ddbMock.on(TransactWriteCommand).rejectsOnce(tenantRace()).resolves({});

    const result = await grantCredits({
      tenantId: tenantA,
      actor,
      input: { amount: 50, reason: 'Top-up' },
    });

    expect(result.poolBalance).toBe(250);
    expect(grantConditions()).toEqual([
      { ':amount': 50, ':expectedGranted': 300, ':expectedLimit': 1_000 },
      { ':amount': 50, ':expectedGranted': 400, ':expectedLimit': 1_000 },
    ]);
  });

  it('rechecks credit limit after lost race', async () => {
    // A concurrent grant of 600 leaves too little room for the retry.
    ddbMock
      .on(GetCommand)
      .resolvesOnce({ Item: tenantItem() })
      .resolves({ Item: tenantItem({ poolBalance: 700, granted: 900 }) });
    storeUsers();
    ddbMock.on(TransactWriteCommand).rejectsOnce(tenantRace()).resolves({});

    const promise = grantCredits({
      tenantId: tenantA,
      actor,
      input: { amount: 500, reason: 'Top-up' },
    });

    await expect(promise).rejects.toMatchObject({ code: 'CREDIT_LIMIT_EXCEEDED' });
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('gives up after three lost races', async () => {
    ddbMock.on(GetCommand).resolves({ Item: tenantItem() });
    storeUsers();
    ddbMock.on(TransactWriteCommand).rejects(tenantRace());

    const promise = grantCredits({
      tenantId: tenantA,
      actor,
      input: { amount: 50, reason: 'Top-up' },
    });

    await expect(promise).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('does not retry other errors', async () => {
    ddbMock.on(GetCommand).resolves({ Item: tenantItem() });
    storeUsers();
    const conflict = transactionCanceled([{ code: 'TransactionConflict' }, { code: 'None' }]);
    ddbMock.on(TransactWriteCommand).rejects(conflict);

    const promise = grantCredits({
      tenantId: tenantA,
      actor,
      input: { amount: 50, reason: 'Top-up' },
    });

    await expect(promise).rejects.toBe(conflict);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('writes grant ledger entry', async () => {
    ddbMock.on(GetCommand).resolves({ Item: tenantItem() });
    storeUsers();
    ddbMock.on(TransactWriteCommand).resolves({});

    const result = await grantCredits({
      tenantId: tenantA,
      actor,
      input: { amount: 5, reason: 'Top-up' },
    });

    const [call] = ddbMock.commandCalls(TransactWriteCommand);
    expect(call?.args[0].input.TransactItems?.[1]?.Put?.Item).toMatchObject({
      ...keys.ledgerEntry(tenantA, result.entryId),
      type: 'GRANT',
      amount: 5,
      actorId: actor.userId,
      reason: 'Top-up',
    });
  });
});
