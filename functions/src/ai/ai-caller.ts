import { AppError, type Role, roles } from '@creditgate/shared';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { hashApiToken, isApiTokenShaped, parseApiToken } from '../api-tokens/api-token-format';
import { readBearerToken } from '../lib/auth/authenticate';
import { verifyIdToken } from '../lib/auth/token-verifier';
import { logger } from '../lib/logger';

/**
 * The caller of an AI route as its credential presents it. The hold re-checks it on the
 * caller's own items: the user record and, for a personal API token, the token record.
 */
export interface AiCaller {
  tenantId: string;
  userId: string;
  /** The ID token's role claim; a personal API token carries none. */
  role: Role | undefined;
  /** Set when the caller used a personal API token instead of an ID token. */
  apiToken?: { tokenId: string; tokenHash: string };
}

const INVALID_API_TOKEN = 'The API token is invalid, revoked or expired; create a new one';

/**
 * Authenticates an AI call from its credential alone, with no database read: the hold's
 * conditions check the user record (and the API token's record) in the same request that
 * takes the credits. Accepts a Cognito ID token or a personal API token.
 */
export async function authenticateAiCaller(
  headers: APIGatewayProxyEvent['headers'],
): Promise<AiCaller> {
  const token = readBearerToken(headers);
  if (!token)
    throw new AppError('UNAUTHENTICATED', 'Missing bearer token in the Authorization header');

  if (isApiTokenShaped(token)) {
    const parts = parseApiToken(token);
    if (!parts) throw new AppError('UNAUTHENTICATED', INVALID_API_TOKEN);
    logger.appendKeys({
      tenant_id: parts.tenantId,
      user_id: parts.userId,
      token_id: parts.tokenId,
    });
    return {
      tenantId: parts.tenantId,
      userId: parts.userId,
      role: undefined,
      apiToken: { tokenId: parts.tokenId, tokenHash: hashApiToken(token) },
    };
  }

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

/** The error for an API token that the hold's condition rejected. */
export function invalidApiTokenError(cause: unknown): AppError {
  return new AppError('UNAUTHENTICATED', INVALID_API_TOKEN, { cause });
}
