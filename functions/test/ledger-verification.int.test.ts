import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { newRequestId, newTenantId } from '@creditgate/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../infra/local/stack/bootstrap';
import {
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';
import { placeHold } from '../src/ai/holds.repository';
import { keys } from '../src/lib/db/keys';
import { stubRepositoryEnv } from './stack-env';

/**
 * `POST /v1/platform/ledger-verification` on a stack of its own. After grants, allocations,
 * a chat call and an open hold, every tenant passes. Then user items are corrupted directly
 * in DynamoDB Local, and the check names the tenant, the user and the difference.
 */
interface TenantReport {
  tenantId: string;
  ok: boolean;
  granted: number;
  poolBalance: number;
  allocated: number;
  held: number;
  spent: number;
  openHolds: number;
  problems: { check: string; message: string; difference: number; userId?: string }[];
}

describe('ledger verification', () => {
  let stack: TestStack;
  let superAdmin: Session;
  let adminA: Session;
  let tenantA: string;
  let tenantB: string;
  let userId: string;
  let table: DynamoDBDocumentClient;
  const openHoldAmount = 400;

  const verify = (body?: unknown) =>
    stack.api(superAdmin.idToken, 'POST', '/v1/platform/ledger-verification', body);
  const reportOf = (tenants: TenantReport[], tenantId: string) =>
    tenants.find((tenant) => tenant.tenantId === tenantId);
  /** Adds `delta` to one attribute of the user item, bypassing every service rule. */
  const corruptUser = (attribute: 'balance' | 'held', delta: number) =>
    table.send(
      new UpdateCommand({
        TableName: stack.info.tableName,
        Key: keys.user(tenantA, userId),
        UpdateExpression: 'ADD #attribute :delta',
        ExpressionAttributeNames: { '#attribute': attribute },
        ExpressionAttributeValues: { ':delta': delta },
      }),
    );

  beforeAll(async () => {
    stack = await startTestStack();
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    const plan = await stack.api(superAdmin.idToken, 'POST', '/v1/plans', planInput());
    const createTenant = async (name: string) => {
      const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
        name,
        planId: plan.body.planId,
        adminEmail: `admin@${name.toLowerCase()}.test`,
        creditLimit: 1_000_000,
      });
      return tenant.body.tenantId as string;
    };
    tenantA = await createTenant('Audited');
    tenantB = await createTenant('Bystander');
    adminA = await stack.acceptInvite('admin@audited.test', newPassword());
    const invited = await stack.api(adminA.idToken, 'POST', `/v1/tenants/${tenantA}/users`, {
      email: 'dev@audited.test',
      role: 'User',
    });
    userId = invited.body.userId;
    const user = await stack.acceptInvite('dev@audited.test', newPassword());

    for (const [tenantId, amount] of [
      [tenantA, 100_000],
      [tenantB, 5_000],
    ] as const) {
      const grant = await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
        amount,
        reason: 'Verification test',
      });
      expect(grant.status).toBe(201);
    }
    const allocation = await stack.api(
      adminA.idToken,
      'POST',
      `/v1/tenants/${tenantA}/users/${userId}/credits`,
      { operation: 'allocate', amount: 10_000 },
    );
    expect(allocation.status).toBe(200);
    const chat = await stack.api(user.idToken, 'POST', '/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Spend a little' }],
      max_tokens: 30,
    });
    expect(chat.status).toBe(200);

    stubRepositoryEnv(stack.info);
    // An open hold, as of a call in flight, counts towards `held` and the open holds alike.
    const now = Date.now();
    await placeHold({
      tenantId: tenantA,
      userId,
      requestId: newRequestId(),
      amount: openHoldAmount,
      model: 'gpt-4o-mini',
      holdExpiresAt: now + 60 * 60_000,
      createdAt: new Date(now).toISOString(),
    });
    table = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: stack.info.region,
        endpoint: stack.info.dynamodbEndpoint,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
  });

  afterAll(async () => {
    table?.destroy();
    vi.unstubAllEnvs();
    await stack?.stop();
  });

  it('every tenant passes after normal use', async () => {
    const response = await verify();

    expect(response.status).toBe(200);
    expect(Date.parse(response.body.checkedAt)).not.toBeNaN();
    const tenants = response.body.tenants as TenantReport[];
    expect(tenants.map((tenant) => tenant.tenantId).sort()).toEqual([tenantA, tenantB].sort());
    for (const tenant of tenants) {
      expect(tenant.ok, JSON.stringify(tenant)).toBe(true);
      expect(tenant.problems).toEqual([]);
    }
    const reportA = reportOf(tenants, tenantA) as TenantReport;
    expect(reportA).toMatchObject({
      granted: 100_000,
      poolBalance: 90_000,
      held: openHoldAmount,
      openHolds: openHoldAmount,
    });
    expect(reportA.spent).toBeGreaterThan(0);
    expect(reportA.allocated + reportA.held + reportA.spent).toBe(10_000);
  });

  it('checks only the tenant given', async () => {
    const response = await verify({ tenantId: tenantB });

    expect(response.status).toBe(200);
    expect(response.body.tenants).toHaveLength(1);
    expect(response.body.tenants[0]).toMatchObject({
      tenantId: tenantB,
      ok: true,
      granted: 5_000,
      poolBalance: 5_000,
    });
  });

  it('reports corrupted balance', async () => {
    await corruptUser('balance', 5);

    const response = await verify();

    const reportA = reportOf(response.body.tenants, tenantA) as TenantReport;
    expect(reportA.ok).toBe(false);
    expect(reportA.problems).toEqual([
      {
        check: 'invariant',
        message: expect.stringContaining('granted is 100000 (difference 5)'),
        difference: 5,
      },
      expect.objectContaining({ check: 'ledger-user', userId, difference: -5 }),
    ]);
    expect(reportOf(response.body.tenants, tenantB)?.ok).toBe(true);
  });

  it('reports held without open holds', async () => {
    await corruptUser('held', 7);

    const response = await verify({ tenantId: tenantA });

    const [reportA] = response.body.tenants as TenantReport[];
    expect(reportA?.ok).toBe(false);
    expect(reportA?.held).toBe(openHoldAmount + 7);
    expect(reportA?.openHolds).toBe(openHoldAmount);
    expect(reportA?.problems).toEqual([
      expect.objectContaining({ check: 'invariant', difference: 12 }),
      expect.objectContaining({ check: 'open-holds', difference: 7 }),
      expect.objectContaining({
        check: 'user-open-holds',
        userId,
        difference: 7,
        message: expect.stringContaining(`User ${userId} has held ${openHoldAmount + 7}`),
      }),
      // The balance corrupted by the test before is still off by 5.
      expect.objectContaining({ check: 'ledger-user', userId, difference: -5 }),
      expect.objectContaining({ check: 'ledger-user', userId, difference: -7 }),
    ]);
  });

  it('answers 404 for unknown tenant', async () => {
    const response = await verify({ tenantId: newTenantId() });

    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });

  it('rejects invalid bodies', async () => {
    const invalidId = await verify({ tenantId: 'tenant-a' });
    const unknownField = await verify({ tenantId: tenantA, everything: true });
    const invalidJson = await verify('{"tenantId":');

    expect(invalidId.status).toBe(400);
    expect(invalidId.body.error.details.fields[0].field).toBe('tenantId');
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.details.fields[0].field).toBe('everything');
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.body.error.details.fields[0].field).toBe('body');
  });

  it('is for SuperAdmins only', async () => {
    const response = await stack.api(adminA.idToken, 'POST', '/v1/platform/ledger-verification');

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
  });
});
