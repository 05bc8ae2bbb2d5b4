import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '@creditgate/shared';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  idTokenClaims,
  lambdaContext,
  newUserId,
  proxyEvent,
  superAdminUser,
  tenantA,
  tenantB,
  unitTestEnv,
  userItem,
} from '../../../test/factories';
import { handler as grantCreditsHandler } from '../../credits/grant-credits.handler';
import { handler as createPlanHandler } from '../../plans/create-plan.handler';
import { verifyIdToken } from '../auth/token-verifier';
import { keys } from '../db/keys';
import { logger } from '../logger';

vi.mock('../auth/token-verifier', () => ({
  verifyIdToken: vi.fn(),
  resetTokenVerifier: vi.fn(),
}));

const ddbMock = mockClient(DynamoDBDocumentClient);

const validPlan = {
  name: 'Team',
  monthlyCredits: 100_000,
  seatLimit: 10,
  models: ['gpt-4o-mini'],
  maxTokensPerRequest: 200,
  requestsPerMinute: 60,
  concurrentStreams: 4,
  allowOwnKey: false,
  ownKeyRatePercent: 0,
  ownKeyFallback: 'platform',
};

type TestUser = { userId: string; tenantId: string; role: Role };

/** Makes the mocked verifier accept any token as `user` and stores `user`'s record. */
function signIn(user: TestUser, record: Record<string, unknown> = {}): void {
  vi.mocked(verifyIdToken).mockResolvedValue(idTokenClaims(user));
  ddbMock
    .on(GetCommand, { Key: keys.user(user.tenantId, user.userId) })
    .resolves({ Item: userItem(user, record) });
}

async function createPlan(
  event: Partial<Parameters<typeof proxyEvent>[0]> = {},
): Promise<APIGatewayProxyResult> {
  const request = proxyEvent({
    method: 'POST',
    resource: '/v1/plans',
    token: 'id-token',
    body: validPlan,
    ...event,
  });
  return createPlanHandler(request, lambdaContext());
}

async function grantCredits(tenantId: string, body: unknown = { amount: 5, reason: 'Top-up' }) {
  const request: APIGatewayProxyEvent = proxyEvent({
    method: 'POST',
    resource: '/v1/tenants/{tenantId}/grants',
    pathParameters: { tenantId },
    token: 'id-token',
    body,
  });
  return grantCreditsHandler(request, lambdaContext());
}

function errorOf(response: APIGatewayProxyResult): {
  code: string;
  message: string;
  details?: unknown;
} {
  return JSON.parse(response.body).error;
}

describe('platform handler', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    ddbMock.reset();
    vi.mocked(verifyIdToken).mockReset();
    // The tests check logged errors through this spy, so nothing is printed.
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('creates plan for SuperAdmin', async () => {
    signIn(superAdminUser());
    ddbMock.on(GetCommand, { Key: keys.prices() }).resolves({});
    ddbMock.on(TransactWriteCommand).resolves({});

    const response = await createPlan();

    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body).planId).toMatch(/^pln_/);
  });

  it('rejects missing token', async () => {
    const response = await createPlan({ token: undefined });

    expect(response.statusCode).toBe(401);
    expect(errorOf(response).code).toBe('UNAUTHENTICATED');
    expect(verifyIdToken).not.toHaveBeenCalled();
  });

  it('rejects non-bearer authorization', async () => {
    const response = await createPlan({
      token: undefined,
      headers: { authorization: 'Basic abc' },
    });

    expect(response.statusCode).toBe(401);
    expect(errorOf(response).code).toBe('UNAUTHENTICATED');
  });

  it('rejects invalid token', async () => {
    vi.mocked(verifyIdToken).mockRejectedValue(new Error('Token expired'));

    const response = await createPlan();

    expect(response.statusCode).toBe(401);
    expect(errorOf(response).code).toBe('UNAUTHENTICATED');
    expect(ddbMock.calls()).toHaveLength(0);
  });

  it('rejects token without tenant', async () => {
    vi.mocked(verifyIdToken).mockResolvedValue({
      ...idTokenClaims(superAdminUser()),
      tenantId: undefined,
    });

    const response = await createPlan();

    expect(response.statusCode).toBe(401);
  });

  it('rejects token of unknown user', async () => {
    vi.mocked(verifyIdToken).mockResolvedValue(idTokenClaims(superAdminUser()));
    ddbMock.on(GetCommand).resolves({});

    const response = await createPlan();

    expect(response.statusCode).toBe(401);
    expect(errorOf(response).code).toBe('UNAUTHENTICATED');
  });

  it('rejects token of deleted user', async () => {
    signIn(superAdminUser(), { status: 'DELETED' });

    const response = await createPlan();

    expect(response.statusCode).toBe(401);
  });

  it('rejects disabled user before role check', async () => {
    // A TenantAdmin may not create plans, but the account state is checked first.
    signIn({ userId: newUserId(), tenantId: tenantA, role: 'TenantAdmin' }, { status: 'DISABLED' });

    const response = await createPlan();

    expect(response.statusCode).toBe(403);
    expect(errorOf(response).code).toBe('ACCOUNT_DISABLED');
  });

  it('rejects suspended tenant before scope check', async () => {
    signIn(
      { userId: newUserId(), tenantId: tenantA, role: 'TenantAdmin' },
      { tenantStatus: 'SUSPENDED' },
    );

    const response = await grantCredits(tenantB);

    expect(response.statusCode).toBe(403);
    expect(errorOf(response).code).toBe('TENANT_SUSPENDED');
  });

  it('hides another tenant before role check', async () => {
    // Grants need a SuperAdmin, but another tenant's path returns the 404 of a missing tenant.
    signIn({ userId: newUserId(), tenantId: tenantA, role: 'TenantAdmin' });

    const response = await grantCredits(tenantB);

    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('NOT_FOUND');
  });

  it('rejects wrong role on own tenant', async () => {
    signIn({ userId: newUserId(), tenantId: tenantA, role: 'TenantAdmin' });

    const response = await grantCredits(tenantA);

    expect(response.statusCode).toBe(403);
    expect(errorOf(response).code).toBe('FORBIDDEN');
  });

  it('rejects wrong role on platform route', async () => {
    signIn({ userId: newUserId(), tenantId: tenantA, role: 'User' });

    const response = await createPlan();

    expect(response.statusCode).toBe(403);
    expect(errorOf(response).code).toBe('FORBIDDEN');
  });

  it('trusts user record over token role', async () => {
    const user = superAdminUser();
    signIn(user, { role: 'User' });

    const response = await createPlan();

    expect(verifyIdToken).toHaveBeenCalledOnce();
    expect(response.statusCode).toBe(403);
  });

  it('checks role before body', async () => {
    signIn({ userId: newUserId(), tenantId: tenantA, role: 'User' });

    const response = await createPlan({ body: { name: '' } });

    expect(response.statusCode).toBe(403);
  });

  it('rejects invalid body naming field', async () => {
    signIn(superAdminUser());

    const response = await createPlan({ body: { ...validPlan, seatLimit: 0 } });

    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'seatLimit: must be at least 1',
      details: { fields: [{ field: 'seatLimit', message: 'must be at least 1' }] },
    });
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('rejects invalid JSON body', async () => {
    signIn(superAdminUser());

    const response = await createPlan({ body: '{"name":' });

    expect(response.statusCode).toBe(400);
    expect(errorOf(response).message).toBe('body: must be valid JSON');
  });

  it('lets SuperAdmin reach any tenant', async () => {
    signIn(superAdminUser());

    // The body is invalid, so a 400 shows that the scope and role checks passed.
    const response = await grantCredits(tenantB, { amount: 0, reason: 'Top-up' });

    expect(response.statusCode).toBe(400);
    expect(errorOf(response).message).toBe('amount: must be at least 1');
  });

  it('rejects malformed tenant id for SuperAdmin', async () => {
    signIn(superAdminUser());

    const response = await grantCredits('TENANT#other');

    expect(response.statusCode).toBe(400);
    expect(errorOf(response).details).toEqual({
      fields: [{ field: 'tenantId', message: 'must be a tenant id' }],
    });
  });

  it('hides SDK error in 500', async () => {
    signIn(superAdminUser());
    ddbMock.on(GetCommand, { Key: keys.prices() }).resolves({});
    const sdkError = new Error('Throughput exceeded for table creditgate-unit in 000000000000');
    sdkError.name = 'ProvisionedThroughputExceededException';
    ddbMock.on(TransactWriteCommand).rejects(sdkError);

    const response = await createPlan();

    expect(response.statusCode).toBe(500);
    expect(errorOf(response)).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'Internal error; try again later',
    });
    expect(response.body).not.toContain('creditgate-unit');
    expect(response.body).not.toContain('ProvisionedThroughputExceeded');
    expect(response.body).not.toContain('.ts:');
  });

  it('logs unexpected error', async () => {
    signIn(superAdminUser());
    ddbMock.on(GetCommand, { Key: keys.prices() }).resolves({});
    const sdkError = new Error('Internal server error');
    ddbMock.on(TransactWriteCommand).rejects(sdkError);

    await createPlan();

    expect(logger.error).toHaveBeenCalledWith('Unhandled error', { error: sdkError });
  });

  it('adds request id header on success', async () => {
    signIn(superAdminUser());
    ddbMock.on(GetCommand, { Key: keys.prices() }).resolves({});
    ddbMock.on(TransactWriteCommand).resolves({});

    const response = await createPlan({ requestId: 'request-1' });

    expect(response.headers?.['x-creditgate-request-id']).toBe('request-1');
  });

  it('adds request id header on error', async () => {
    const response = await createPlan({ token: undefined, requestId: 'request-2' });

    expect(response.headers?.['x-creditgate-request-id']).toBe('request-2');
  });

  it('adds request id header on 500', async () => {
    signIn(superAdminUser());
    ddbMock.on(GetCommand).rejects(new Error('Internal server error'));

    const response = await createPlan({ requestId: 'request-3' });

    expect(response.statusCode).toBe(500);
    expect(response.headers?.['x-creditgate-request-id']).toBe('request-3');
  });

  it('answers errors as JSON', async () => {
    const response = await createPlan({ token: undefined });

    expect(response.headers?.['content-type']).toBe('application/json; charset=utf-8');
  });
});
