import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newUserId, tenantA, unitTestEnv, userItem } from '../../test/factories';
import { keys } from '../lib/db/keys';
import { verifyLedger } from './ledger-verification.service';

const ddbMock = mockClient(DynamoDBDocumentClient);

const userId = newUserId();

/** A tenant with 1,000 granted and 600 in the pool. */
const tenantItem = {
  ...keys.tenant(tenantA),
  tenantId: tenantA,
  name: 'Acme',
  planId: 'pln_01JAAAAAAAAAAAAAAAAAAAAAAA',
  status: 'ACTIVE',
  creditLimit: 10_000,
  poolBalance: 600,
  granted: 1_000,
};

/**
 * Makes the tenant's user queries return `userReads` in turn (the last one repeats) and
 * every hold index shard return `holds` in shard 0 only.
 */
function storeReads(userReads: Record<string, unknown>[][], holds: Record<string, unknown>[]) {
  let userRead = 0;
  ddbMock.on(GetCommand).resolves({ Item: tenantItem });
  // The ledger agrees with the last user read, the state a re-check settles on.
  const lastUsers = userReads[userReads.length - 1] ?? [];
  const ledger = ledgerEntries(Number(lastUsers[0]?.held ?? 0));
  ddbMock.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    if (input.ExpressionAttributeValues?.[':prefix'] === 'LEDGER#') return { Items: ledger };
    if (input.IndexName === 'gsi1') {
      const isFirstShard = input.ExpressionAttributeValues?.[':partition'] === 'HOLDS#0';
      return { Items: isFirstShard ? holds : [] };
    }
    const items = userReads[Math.min(userRead, userReads.length - 1)];
    userRead++;
    return { Items: items };
  });
}

/**
 * Ledger entries that replay to the tenant and user fixtures: 1,000 granted, 400 allocated,
 * one settled call of 100, and an open hold of `held`.
 */
function ledgerEntries(held: number): Record<string, unknown>[] {
  const entry = (fields: Record<string, unknown>) => ({
    tenantId: tenantA,
    actorId: userId,
    createdAt: '2026-12-01T00:00:00.000Z',
    ...fields,
  });
  return [
    entry({ entryId: 'e1', type: 'GRANT', amount: 1_000 }),
    entry({ entryId: 'e2', type: 'ALLOCATE', amount: 400, userId }),
    entry({ entryId: 'e3', type: 'HOLD', amount: 100, userId, requestId: 'req_settled' }),
    entry({
      entryId: 'e4',
      type: 'SETTLE',
      amount: 100,
      released: 0,
      userId,
      requestId: 'req_settled',
    }),
    ...(held > 0
      ? [entry({ entryId: 'e5', type: 'HOLD', amount: held, userId, requestId: 'req_open' })]
      : []),
  ];
}

/** The user item: 300 allocated, `held` held and 100 spent. */
const user = (held: number) =>
  userItem({ userId, tenantId: tenantA, role: 'User' }, { balance: 300 - held, held, spent: 100 });

const openHold = (amount: number) => ({
  tenantId: tenantA,
  userId,
  requestId: 'req_01JAAAAAAAAAAAAAAAAAAAAAAA',
  amount,
  model: 'gpt-4o-mini',
  holdExpiresAt: Date.now() + 60_000,
  createdAt: new Date().toISOString(),
});

/** Counts the queries of the tenant's user items. */
const userQueries = () =>
  ddbMock
    .commandCalls(QueryCommand)
    .filter(
      (call) =>
        call.args[0].input.IndexName !== 'gsi1' &&
        call.args[0].input.ExpressionAttributeValues?.[':prefix'] !== 'LEDGER#',
    ).length;

describe('verifyLedger', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    ddbMock.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('passes consistent tenant', async () => {
    storeReads([[user(20)]], [openHold(20)]);

    const result = await verifyLedger({ tenantId: tenantA });

    expect(result.tenants).toEqual([
      {
        tenantId: tenantA,
        ok: true,
        granted: 1_000,
        poolBalance: 600,
        allocated: 280,
        held: 20,
        spent: 100,
        openHolds: 20,
        problems: [],
      },
    ]);
    expect(userQueries()).toBe(1);
  });

  it('rechecks failing tenant once', async () => {
    // The first read catches a hold whose settlement the index already shows.
    storeReads([[user(20)], [user(0)]], []);

    const result = await verifyLedger({ tenantId: tenantA });

    expect(result.tenants[0]?.ok).toBe(true);
    expect(userQueries()).toBe(2);
  });

  it('reports lasting hold mismatch', async () => {
    storeReads([[user(20)]], [openHold(15)]);

    const result = await verifyLedger({ tenantId: tenantA });

    const [report] = result.tenants;
    expect(report?.ok).toBe(false);
    expect(report?.problems).toEqual([
      {
        check: 'open-holds',
        message: "Users' held credits add up to 20, but open holds add up to 15 (difference 5)",
        difference: 5,
      },
      {
        check: 'user-open-holds',
        message: `User ${userId} has held 20, but their open holds add up to 15 (difference 5)`,
        difference: 5,
        userId,
      },
    ]);
    expect(userQueries()).toBe(2);
  });

  it('reports hold of unknown user', async () => {
    storeReads([[user(0)]], [{ ...openHold(7), userId: newUserId() }]);

    const result = await verifyLedger({ tenantId: tenantA });

    const checks = result.tenants[0]?.problems.map((problem) => problem.check);
    expect(checks).toEqual(['open-holds', 'user-open-holds']);
  });

  it('rejects unknown tenant', async () => {
    ddbMock.on(GetCommand).resolves({});

    await expect(verifyLedger({ tenantId: tenantA })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
    });
  });
});
