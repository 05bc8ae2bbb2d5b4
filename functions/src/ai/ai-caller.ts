import { AppError, type Role, roles } from '@creditgate/shared';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { readBearerToken } from '../lib/auth/authenticate';
import { verifyIdToken } from '../lib/auth/token-verifier';
import { logger } from '../lib/logger';

/** The caller of an AI route as its token presents it; the hold re-checks it on the user item. */
export interface AiCaller {
  tenantId: string;
  userId: string;
  role: Role;
}

/**
 * Authenticates an AI call from its token alone, with no database read: the hold's
 * conditions check the user record in the same request that takes the credits.
 */
export async function authenticateAiCaller(
  headers: APIGatewayProxyEvent['headers'],
): Promise<AiCaller> {
  const token = readBearerToken(headers);
  if (!token)
    throw new AppError('UNAUTHENTICATED', 'Missing bearer token in the Authorization header');
  let claims: Awaited<ReturnType<typeof verifyIdToken>>;
  try {
    claims = await verifyIdToken(token);
  } catch (error) {
    logger.info('Token rejected', { reason: error instanceof Error ? error.name : 'unknown' });
    throw new AppError('UNAUTHENTICATED', 'The token is invalid or expired; sign in again');
  }
  const role = roles.find((known) => known === claims.role);
  if (!claims.tenantId || !role)
    throw new AppError('UNAUTHENTICATED', 'The token carries no tenant or role');
  logger.appendKeys({ tenant_id: claims.tenantId, user_id: claims.sub });
  if (role === 'SuperAdmin')
    throw new AppError('FORBIDDEN', 'Only tenant members can call AI models');
  return { tenantId: claims.tenantId, userId: claims.sub, role };
}
