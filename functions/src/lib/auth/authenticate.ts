import { timingSafeEqual } from 'node:crypto';
import { AppError, type Role, type RouteDefinition, roles } from '@creditgate/shared';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { hashApiToken, isApiTokenShaped, parseApiToken } from '../../api-tokens/api-token-format';
import { getApiToken } from '../../api-tokens/api-tokens.repository';
import { getUser } from '../../users/users.repository';
import { logger } from '../logger';
import { verifyIdToken } from './token-verifier';

/** The verified caller of a request. Role, status and tenant come from the user record. */
export interface Caller {
  userId: string;
  tenantId: string;
  role: Role;
  email: string;
  /** API Gateway's request id, the correlation id of logs and audit entries. */
  requestId: string;
}

/** Returns the bearer token of the `Authorization` header, or undefined. */
export function readBearerToken(headers: APIGatewayProxyEvent['headers']): string | undefined {
  const header = Object.entries(headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'authorization',
  )?.[1];
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/**
 * Authenticates and authorizes a platform request in the order the API promises: token
 * (401), the caller's own state (403), tenant scope (404), role (403). The user record wins
 * over token claims, so a disabled user or a changed role takes effect on the next request.
 */
export async function authorizeRequest(
  event: APIGatewayProxyEvent,
  route: RouteDefinition,
): Promise<Caller> {
  const token = readBearerToken(event.headers);
  if (!token)
    throw new AppError('UNAUTHENTICATED', 'Missing bearer token in the Authorization header');

  // Personal API tokens work on the AI routes only; everything else needs an ID token.
  if (route.errorShape !== 'openai' && isApiTokenShaped(token)) {
    throw new AppError(
      'UNAUTHENTICATED',
      'Personal API tokens work only on the AI routes (/v1/chat/completions, /v1/embeddings, /v1/models); sign in for this one',
    );
  }
  const claims =
    route.errorShape === 'openai' && isApiTokenShaped(token)
      ? await identifyApiToken(token)
      : await identifyIdToken(token);

  const user = await getUser(claims.tenantId, claims.sub);
  if (!user || user.status === 'DELETED') {
    throw new AppError('UNAUTHENTICATED', 'No active account matches this token; sign in again');
  }
  logger.appendKeys({ tenant_id: user.tenantId, user_id: user.userId });
  if (user.status === 'DISABLED')
    throw new AppError('ACCOUNT_DISABLED', 'This account is disabled');
  if (user.tenantStatus === 'SUSPENDED' && user.role !== 'SuperAdmin') {
    throw new AppError('TENANT_SUSPENDED', 'This tenant is suspended');
  }
  if (!roles.includes(user.role)) throw new AppError('FORBIDDEN', 'This account has no valid role');

  const pathTenantId = event.pathParameters?.tenantId;
  if (route.scope === 'tenant' && user.role !== 'SuperAdmin' && pathTenantId !== user.tenantId) {
    // Another tenant's resources answer exactly what a missing one does.
    throw new AppError('NOT_FOUND', 'Tenant not found');
  }
  if (!route.roles.includes(user.role)) {
    throw new AppError(
      'FORBIDDEN',
      `This action needs one of these roles: ${route.roles.join(', ')}`,
    );
  }
  return {
    userId: user.userId,
    tenantId: user.tenantId,
    role: user.role,
    email: user.email,
    requestId: event.requestContext.requestId,
  };
}

async function identifyIdToken(token: string): Promise<{ tenantId: string; sub: string }> {
  let claims: Awaited<ReturnType<typeof verifyIdToken>>;
  try {
    claims = await verifyIdToken(token);
  } catch (error) {
    logger.info('Token rejected', { reason: error instanceof Error ? error.name : 'unknown' });
    throw new AppError('UNAUTHENTICATED', 'The token is invalid or expired; sign in again');
  }
  if (!claims.tenantId) throw new AppError('UNAUTHENTICATED', 'The token carries no tenant');
  return { tenantId: claims.tenantId, sub: claims.sub };
}

/** Checks a personal API token against its stored hash, status and expiry. */
async function identifyApiToken(token: string): Promise<{ tenantId: string; sub: string }> {
  const invalid = new AppError(
    'UNAUTHENTICATED',
    'The API token is invalid, revoked or expired; create a new one',
  );
  const parts = parseApiToken(token);
  if (!parts) throw invalid;
  const record = await getApiToken(parts.tenantId, parts.userId, parts.tokenId);
  const expected = Buffer.from(record?.tokenHash ?? '', 'hex');
  const actual = Buffer.from(hashApiToken(token), 'hex');
  const isHashEqual = expected.length === actual.length && timingSafeEqual(expected, actual);
  const isExpired =
    record?.tokenExpiresAt !== undefined && record.tokenExpiresAt <= Math.floor(Date.now() / 1000);
  if (!record || !isHashEqual || record.status !== 'ACTIVE' || isExpired) throw invalid;
  return { tenantId: parts.tenantId, sub: parts.userId };
}
