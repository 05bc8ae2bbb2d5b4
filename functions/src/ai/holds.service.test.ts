import {
  DynamoDBDocumentClient,
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
} from '../../test/factories';
import { JobFailedError } from '../jobs/job-run';
import { handler } from '../jobs/release-expired-holds.handler';
import { HOLD_SHARDS, keys } from '../lib/db/keys';
import { logger } from '../lib/logger';
import { EXPIRED_HOLD_REASON, releaseExpiredHolds } from './holds.service';

const ddbMock = mockClient(DynamoDBDocumentClient);

const now = Date.parse('2026-12-04T12:00:00.000Z');
let requestCounter = 0;

/** Builds an open hold as the hold index returns it, expired a minute before `now`. */
function holdItem(overrides: Record<string, unknown> = {}) {
  requestCounter++;
  const requestId = `req_01JAAAAAAAAAAAAAAAAAAAAA${String(requestCounter).padStart(2, '0')}`;
  const hold = {
    tenantId: tenantA,
    userId: newUserId(),
    requestId,
    amount: 120,
    model: 'gpt-4o-mini',
    holdExpiresAt: now - 60_000,
    createdAt: '2026-12-04T11:40:00.000Z',
    ...overrides,
  };
  return {
    ...keys.hold(hold.tenantId, hold.requestId),
    ...keys.holdIndex(hold.tenantId, hold.requestId, hold.holdExpiresAt),
    entityType: 'Hold',
    status: 'OPEN',
    ...hold,
  };
}

/** Makes shard `shard` of the index return `items` and every other shard nothing. */
function storeShard(shard: number, items: Record<string, unknown>[]): void {
  ddbMock
    .on(QueryCommand)
    .callsFake((input: QueryCommandInput) =>
      input.ExpressionAttributeValues?.[':partition'] === keys.holdIndexPartition(shard)
        ? { Items: items }
        : { Items: [] },
    );
}

const alreadyClosed = () =>
  transactionCanceled([{ code: 'None' }, { code: 'ConditionalCheckFailed' }, { code: 'None' }]);

describe('releaseExpiredHolds', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    // The failure cases log errors on purpose; keep them out of the test output.
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    ddbMock.reset();
    ddbMock.on(TransactWriteCommand).resolves({});
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('queries every shard for expired holds', async () => {
    ddbMock.on(QueryCommand).resolves({ Items: [] });

    const result = await releaseExpiredHolds({ now, pageSize: 100, maxHolds: 1_000 });

    expect(result).toMatchObject({ examined: 0, released: 0, isLimitReached: false });
    const queries = ddbMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries).toHaveLength(HOLD_SHARDS);
    const partitions = queries.map((query) => query.ExpressionAttributeValues?.[':partition']);
    expect(new Set(partitions).size).toBe(HOLD_SHARDS);
    for (const query of queries) {
      expect(query.IndexName).toBe('gsi1');
      expect(query.KeyConditionExpression).toBe('gsi1pk = :partition AND gsi1sk < :expiredBefore');
      expect(query.ExpressionAttributeValues?.[':expiredBefore']).toBe('1796385600000');
    }
  });

  it('expiry bound excludes holds expiring now', () => {
    // A hold expiring at `now` sorts above the bound, so only earlier expiries are listed.
    const bound = keys.holdExpiryPrefix(now);
    const expiringNow = keys.holdIndex(tenantA, 'req_X', now).gsi1sk;
    const expiredBefore = keys.holdIndex(tenantA, 'req_X', now - 1).gsi1sk;

    expect(expiringNow > bound).toBe(true);
    expect(expiredBefore < bound).toBe(true);
    expect(keys.holdExpiryPrefix(42)).toBe('0000000000042');
  });

  it('releases expired hold with system ledger entry', async () => {
    const hold = holdItem();
    storeShard(3, [hold]);

    const result = await releaseExpiredHolds({ now, pageSize: 100, maxHolds: 1_000 });

    expect(result).toMatchObject({ examined: 1, released: 1, alreadyClosed: 0, failed: 0 });
    const [call] = ddbMock.commandCalls(TransactWriteCommand);
    const [userUpdate, holdUpdate, ledgerPut] = call?.args[0].input.TransactItems ?? [];
    expect(userUpdate?.Update?.Key).toEqual(keys.user(tenantA, hold.userId));
    expect(userUpdate?.Update?.ExpressionAttributeValues).toMatchObject({
      ':returned': 120,
      ':negativeHold': -120,
      ':charge': 0,
    });
    expect(holdUpdate?.Update?.ConditionExpression).toBe('#status = :open');
    expect(ledgerPut?.Put?.Item).toMatchObject({
      type: 'RELEASE',
      amount: 120,
      requestId: hold.requestId,
      actorId: 'system',
      reason: EXPIRED_HOLD_REASON,
    });
  });

  it('skips hold closed meanwhile', async () => {
    storeShard(0, [holdItem(), holdItem()]);
    ddbMock.on(TransactWriteCommand).rejectsOnce(alreadyClosed()).resolves({});

    const result = await releaseExpiredHolds({ now, pageSize: 100, maxHolds: 1_000 });

    expect(result).toMatchObject({ examined: 2, released: 1, alreadyClosed: 1, failed: 0 });
  });

  it('counts conflicts and failures apart', async () => {
    storeShard(0, [holdItem(), holdItem()]);
    const conflict = transactionCanceled([
      { code: 'TransactionConflict' },
      { code: 'None' },
      { code: 'None' },
    ]);
    // The release retries a conflict three times before it gives up on the first hold.
    ddbMock
      .on(TransactWriteCommand)
      .rejectsOnce(conflict)
      .rejectsOnce(conflict)
      .rejectsOnce(conflict)
      .rejectsOnce(conflict)
      .rejectsOnce(new Error('Network down'));

    const result = await releaseExpiredHolds({ now, pageSize: 100, maxHolds: 1_000 });

    expect(result).toMatchObject({ examined: 2, released: 0, conflicts: 1, failed: 1 });
  });

  it('stops at maxHolds', async () => {
    // Every page reports more to read, so only the limit ends the run.
    ddbMock.on(QueryCommand).callsFake((input: QueryCommandInput) => ({
      Items: Array.from({ length: input.Limit ?? 1 }, () => holdItem()),
      LastEvaluatedKey: { pk: 'more' },
    }));

    const result = await releaseExpiredHolds({ now, pageSize: 2, maxHolds: 3 });

    expect(result).toMatchObject({ examined: 3, released: 3, isLimitReached: true });
    const limits = ddbMock.commandCalls(QueryCommand).map((call) => call.args[0].input.Limit);
    expect(limits).toEqual([2, 1]);
  });

  it('rejects page size below 1', async () => {
    await expect(releaseExpiredHolds({ now, pageSize: 0, maxHolds: 10 })).rejects.toThrow(
      /pageSize must be a positive integer/,
    );
  });
});

describe('release-expired-holds handler', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    // The failure cases log errors on purpose; keep them out of the test output.
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    ddbMock.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('fails run after a failed release', async () => {
    storeShard(0, [holdItem()]);
    ddbMock.on(TransactWriteCommand).rejects(new Error('Network down'));

    await expect(handler({}, lambdaContext())).rejects.toBeInstanceOf(JobFailedError);
  });

  it('reads limits from environment', async () => {
    vi.stubEnv('HOLD_SWEEP_PAGE_SIZE', '7');
    ddbMock.on(QueryCommand).resolves({ Items: [] });

    await handler({}, lambdaContext());

    const [query] = ddbMock.commandCalls(QueryCommand);
    expect(query?.args[0].input.Limit).toBe(7);
  });

  it('rejects zero page size', async () => {
    vi.stubEnv('HOLD_SWEEP_PAGE_SIZE', '0');

    await expect(handler({}, lambdaContext())).rejects.toThrow(
      /HOLD_SWEEP_PAGE_SIZE must be at least 1/,
    );
  });
});
