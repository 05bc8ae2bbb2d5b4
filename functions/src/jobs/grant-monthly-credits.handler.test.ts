import {
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  lambdaContext,
  newUserId,
  tenantA,
  transactionCanceled,
  unitTestEnv,
  userItem,
} from '../../test/factories';
import { keys } from '../lib/db/keys';
import { handler } from './grant-monthly-credits.handler';
import { JobFailedError } from './job-run';

const ddbMock = mockClient(DynamoDBDocumentClient);

const planId = 'pln_01JAAAAAAAAAAAAAAAAAAAAAAA';

interface TableContents {
  tenant?: Record<string, unknown>;
  plan?: Record<string, unknown> | null;
  /** Months that already have a record. */
  recordedMonths?: string[];
}

/**
 * Builds a tenant item with 300 granted and a limit of 1,000. The user of `storeTable` spent
 * 30, so 270 credits are unspent.
 */
function tenantItem(overrides: Record<string, unknown> = {}) {
  return {
    ...keys.tenant(tenantA),
    ...keys.tenantIndex(tenantA),
    tenantId: tenantA,
    name: 'Acme',
    planId,
    status: 'ACTIVE',
    creditLimit: 1_000,
    poolBalance: 100,
    granted: 300,
    seatsUsed: 1,
    adminCount: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function planItem(monthlyCredits: number) {
  return { ...keys.plan(planId), planId, name: 'Team', monthlyCredits, models: ['gpt-4o-mini'] };
}

/**
 * Makes reads return one tenant, its plan and one user with 150 allocated, 20 held and 30
 * spent.
 */
function storeTable(contents: TableContents = {}): void {
  const tenant = contents.tenant ?? tenantItem();
  const plan = contents.plan === undefined ? planItem(500) : contents.plan;
  const recorded = new Set(contents.recordedMonths ?? []);
  const user = userItem(
    { userId: newUserId(), tenantId: tenantA, role: 'User' },
    { balance: 150, held: 20, spent: 30 },
  );
  ddbMock.on(GetCommand).callsFake((input: GetCommandInput) => {
    const sk = String(input.Key?.sk);
    if (sk === 'TENANT') return { Item: tenant };
    if (sk.startsWith('PLAN#')) return plan ? { Item: plan } : {};
    const month = sk.replace('MONTHLY_GRANT#', '');
    if (sk.startsWith('MONTHLY_GRANT#') && recorded.has(month)) {
      return { Item: { ...keys.monthlyGrant(tenantA, month), month, granted: 500 } };
    }
    return {};
  });
  // The tenant list reads gsi1; a tenant's users are read from its partition.
  ddbMock
    .on(QueryCommand)
    .callsFake((input: QueryCommandInput) =>
      input.IndexName === 'gsi1' ? { Items: [tenant] } : { Items: [user] },
    );
}

type TransactItem = NonNullable<
  NonNullable<TransactWriteCommand['input']['TransactItems']>[number]
>;

/** Returns the items of every transaction sent, in order. */
function transactions(): TransactItem[][] {
  return ddbMock
    .commandCalls(TransactWriteCommand)
    .map((call) => call.args[0].input.TransactItems ?? []);
}

function putWithPrefix(items: TransactItem[], prefix: string) {
  return items.find((item) => String(item.Put?.Item?.sk).startsWith(prefix))?.Put?.Item;
}

const scheduledEvent = (time: string) => ({
  version: '0',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  time,
  detail: {},
});

describe('grant-monthly-credits handler', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    ddbMock.reset();
    ddbMock.on(TransactWriteCommand).resolves({});
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it.each([
    ['2026-11-30T23:59:59.999Z', '2026-11'],
    ['2026-12-01T00:00:00.000Z', '2026-12'],
    ['2026-12-01T00:30:00+01:00', '2026-11'],
    ['2026-11-30T19:00:00-05:00', '2026-12'],
    ['2027-01-01T00:05:00Z', '2027-01'],
  ])('event at %s grants %s', async (time, month) => {
    storeTable();

    const result = await handler(scheduledEvent(time), lambdaContext());

    expect(result.month).toBe(month);
    const [items = []] = transactions();
    expect(putWithPrefix(items, 'MONTHLY_GRANT#')).toMatchObject({
      sk: `MONTHLY_GRANT#${month}`,
      month,
    });
    expect(putWithPrefix(items, 'LEDGER#')?.reason).toBe(`Monthly plan credits for ${month}`);
  });

  it('payload month wins over event time', async () => {
    storeTable();

    const result = await handler(
      { ...scheduledEvent('2026-12-01T00:05:00Z'), month: '2026-10' },
      lambdaContext(),
    );

    expect(result.month).toBe('2026-10');
  });

  it('uses clock month without time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-31T23:59:59.999Z'));
    storeTable();

    const result = await handler({}, lambdaContext());

    expect(result.month).toBe('2026-12');
  });

  it('rejects invalid month without writing', async () => {
    storeTable();

    await expect(handler({ month: '2026-13' }, lambdaContext())).rejects.toThrow(/YYYY-MM/);
    expect(transactions()).toHaveLength(0);
  });

  it('grants full plan credits below limit', async () => {
    storeTable({ plan: planItem(500) });

    const result = await handler({ month: '2026-12' }, lambdaContext());

    expect(result).toMatchObject({ tenants: 1, granted: 1, capped: 0, credits: 500 });
    const [items = []] = transactions();
    expect(items[0]?.Update?.ExpressionAttributeValues).toEqual({
      ':amount': 500,
      ':expectedGranted': 300,
      ':expectedLimit': 1_000,
    });
    const ledgerEntry = putWithPrefix(items, 'LEDGER#');
    expect(ledgerEntry).toMatchObject({ type: 'GRANT', amount: 500, actorId: 'system' });
    expect(ledgerEntry).not.toHaveProperty('requested');
  });

  it('cuts grant at credit limit', async () => {
    // 270 unspent and a limit of 1,000 leave room for 730 of the plan's 1,000.
    storeTable({ plan: planItem(1_000) });

    const result = await handler({ month: '2026-12' }, lambdaContext());

    expect(result).toMatchObject({ granted: 0, capped: 1, credits: 730 });
    const [items = []] = transactions();
    expect(items[0]?.Update?.ExpressionAttributeValues?.[':amount']).toBe(730);
    expect(putWithPrefix(items, 'LEDGER#')).toMatchObject({
      type: 'GRANT',
      amount: 730,
      requested: 1_000,
      reason: 'Monthly plan credits for 2026-12, cut from 1000 to 730 by the credit limit',
    });
    expect(putWithPrefix(items, 'MONTHLY_GRANT#')).toMatchObject({
      requested: 1_000,
      granted: 730,
    });
    expect(putWithPrefix(items, 'AUDIT#')).toMatchObject({
      action: 'credits.monthly-grant',
      actorId: 'system',
      details: { month: '2026-12', requested: 1_000, granted: 730 },
    });
  });

  it('records zero at credit limit', async () => {
    // 1,030 granted and 30 spent: unspent credits are exactly at the limit.
    storeTable({ tenant: tenantItem({ granted: 1_030 }) });

    const result = await handler({ month: '2026-12' }, lambdaContext());

    expect(result).toMatchObject({ nothingGranted: 1, credits: 0 });
    const [items = []] = transactions();
    expect(items.map((item) => Object.keys(item)[0])).toEqual(['ConditionCheck', 'Put', 'Put']);
    expect(items[0]?.ConditionCheck?.ExpressionAttributeValues).toEqual({
      ':expectedGranted': 1_030,
      ':expectedLimit': 1_000,
    });
    expect(putWithPrefix(items, 'MONTHLY_GRANT#')).toMatchObject({
      requested: 500,
      granted: 0,
      reason:
        'Monthly plan credits for 2026-12: none granted, unspent credits are at the credit limit',
    });
    expect(putWithPrefix(items, 'LEDGER#')).toBeUndefined();
  });

  it('records zero for plan without credits', async () => {
    storeTable({ plan: planItem(0) });

    const result = await handler({ month: '2026-12' }, lambdaContext());

    expect(result).toMatchObject({ nothingGranted: 1, credits: 0 });
    const [items = []] = transactions();
    expect(putWithPrefix(items, 'MONTHLY_GRANT#')?.reason).toBe(
      'Monthly plan credits for 2026-12: the plan grants none',
    );
  });

  it('skips recorded month without writing', async () => {
    storeTable({ recordedMonths: ['2026-12'] });

    const result = await handler({ month: '2026-12' }, lambdaContext());

    expect(result).toMatchObject({ tenants: 1, alreadyGranted: 1, credits: 0 });
    expect(transactions()).toHaveLength(0);
  });

  it('counts concurrent winner as already granted', async () => {
    storeTable();
    // The other run changed `granted` and created the record first.
    ddbMock
      .on(TransactWriteCommand)
      .rejects(
        transactionCanceled([
          { code: 'ConditionalCheckFailed' },
          { code: 'None' },
          { code: 'None' },
          { code: 'ConditionalCheckFailed' },
        ]),
      );

    const result = await handler({ month: '2026-12' }, lambdaContext());

    expect(result).toMatchObject({ alreadyGranted: 1, failed: 0, credits: 0 });
    expect(transactions()).toHaveLength(1);
  });

  it('retries after tenant race', async () => {
    storeTable();
    ddbMock
      .on(TransactWriteCommand)
      .rejectsOnce(
        transactionCanceled([
          { code: 'ConditionalCheckFailed' },
          { code: 'None' },
          { code: 'None' },
          { code: 'None' },
        ]),
      )
      .resolves({});

    const result = await handler({ month: '2026-12' }, lambdaContext());

    expect(result).toMatchObject({ granted: 1, failed: 0 });
    expect(transactions()).toHaveLength(2);
  });

  it('skips suspended tenant', async () => {
    storeTable({ tenant: tenantItem({ status: 'SUSPENDED' }) });

    const result = await handler({ month: '2026-12' }, lambdaContext());

    expect(result).toMatchObject({ tenants: 0, credits: 0 });
    expect(transactions()).toHaveLength(0);
  });

  it('fails run when plan is missing', async () => {
    storeTable({ plan: null });

    const run = handler({ month: '2026-12' }, lambdaContext());

    await expect(run).rejects.toBeInstanceOf(JobFailedError);
    expect(transactions()).toHaveLength(0);
  });
});
