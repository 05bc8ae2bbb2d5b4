import { randomUUID } from 'node:crypto';
import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { newTenantId, PLATFORM_TENANT_ID, type Role } from '@creditgate/shared';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { IdTokenClaims } from '../src/lib/auth/token-verifier';
import { keys } from '../src/lib/db/keys';

/**
 * Event, token and item factories for unit tests. The values are made up, and no factory
 * sends a request.
 */

/** Environment variables that handlers and repositories read. Local mode stays off. */
export const unitTestEnv = {
  TABLE_NAME: 'creditgate-unit',
  AWS_REGION: 'us-east-1',
  USER_POOL_ID: 'us-east-1_unittest',
  USER_POOL_CLIENT_ID: 'unit-test-client',
  CREDITGATE_LOCAL: '',
  OUTBOX_DIR: '',
};

export const tenantA = newTenantId();
export const tenantB = newTenantId();

/** Returns a new user id in the Cognito `sub` format. */
export const newUserId = (): string => randomUUID();

/** Builds an API Gateway REST proxy event, filling the resource's `{name}` segments. */
export function proxyEvent(input: {
  method: string;
  resource: string;
  pathParameters?: Record<string, string>;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  requestId?: string;
}): APIGatewayProxyEvent {
  const pathParameters = input.pathParameters ?? {};
  const path = input.resource.replace(
    /\{(\w+)\}/g,
    (_, name: string) => pathParameters[name] ?? '',
  );
  const headers: Record<string, string> = { ...input.headers };
  if (input.token !== undefined) headers.Authorization = `Bearer ${input.token}`;
  const body =
    input.body === undefined
      ? null
      : typeof input.body === 'string'
        ? input.body
        : JSON.stringify(input.body);
  return {
    resource: input.resource,
    path,
    httpMethod: input.method,
    headers,
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'unit',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: input.method,
      path: `/v1${path}`,
      stage: 'v1',
      requestId: input.requestId ?? randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'unit',
      resourcePath: input.resource,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '127.0.0.1',
        user: null,
        userAgent: 'unit-test',
        userArn: null,
      },
    },
  };
}

/** Builds a Lambda context with 30 s left. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'creditgate-unit',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:creditgate-unit',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/creditgate-unit',
    logStreamName: 'unit',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Returns the claims that a mocked `verifyIdToken` resolves with for `user`. */
export function idTokenClaims(user: {
  userId: string;
  tenantId: string;
  role: Role;
}): IdTokenClaims {
  return {
    sub: user.userId,
    email: `${user.userId}@example.test`,
    tenantId: user.tenantId,
    role: user.role,
  };
}

/** Builds a user item as the document client returns it. `overrides` replace attributes. */
export function userItem(
  user: { userId: string; tenantId: string; role: Role },
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...keys.user(user.tenantId, user.userId),
    entityType: 'User',
    tenantId: user.tenantId,
    userId: user.userId,
    email: `${user.userId}@example.test`,
    role: user.role,
    status: 'ACTIVE',
    tenantStatus: 'ACTIVE',
    balance: 0,
    held: 0,
    spent: 0,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Returns a new SuperAdmin of the reserved platform tenant. */
export function superAdminUser(): { userId: string; tenantId: string; role: Role } {
  return { userId: newUserId(), tenantId: PLATFORM_TENANT_ID, role: 'SuperAdmin' };
}

/**
 * Builds the error DynamoDB returns for a cancelled transaction: one reason per item in
 * request order. `code` is DynamoDB's reason code (`None` for an item that passed,
 * `ConditionalCheckFailed`, `TransactionConflict`...). `item` is the old item in DynamoDB
 * JSON, as `ALL_OLD` returns it.
 */
export function transactionCanceled(
  reasons: { code: string; item?: Record<string, AttributeValue> }[],
): TransactionCanceledException {
  const codes = reasons.map((reason) => reason.code).join(', ');
  return new TransactionCanceledException({
    message: `Transaction cancelled with reasons [${codes}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons.map((reason) => ({
      Code: reason.code,
      ...(reason.item && { Item: reason.item }),
    })),
  });
}
