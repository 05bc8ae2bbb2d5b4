import { AppError } from '@creditgate/shared';
import type { Caller } from '../lib/auth/authenticate';
import { logger } from '../lib/logger';
import { createApiToken, hashApiToken } from './api-token-format';
import {
  type ApiTokenRecord,
  listApiTokens,
  MAX_TOKENS_PER_USER,
  putApiToken,
  revokeApiToken,
} from './api-tokens.repository';

/** The view of a token that the API returns; the token itself appears only at creation. */
export function toApiTokenView(record: ApiTokenRecord, nowSeconds = Math.floor(Date.now() / 1000)) {
  const isExpired = record.tokenExpiresAt !== undefined && record.tokenExpiresAt <= nowSeconds;
  return {
    tokenId: record.tokenId,
    name: record.name,
    status: record.status === 'REVOKED' ? 'REVOKED' : isExpired ? 'EXPIRED' : 'ACTIVE',
    createdAt: record.createdAt,
    expiresAt: record.tokenExpiresAt ? new Date(record.tokenExpiresAt * 1000).toISOString() : null,
    lastUsedAt: record.lastUsedAt ?? null,
    revokedAt: record.revokedAt ?? null,
  };
}

/**
 * Creates a personal API token for the caller and returns it once. It works on the AI
 * routes beside the ID token; only its hash is stored.
 */
export async function issueApiToken(options: {
  caller: Caller;
  name: string;
  expiresInDays?: number;
}) {
  const { caller } = options;
  if (caller.role === 'SuperAdmin')
    throw new AppError('FORBIDDEN', 'Only tenant members can call AI models');
  const existing = await listApiTokens(caller.tenantId, caller.userId, { limit: 100 });
  const active = existing.items.filter((record) => toApiTokenView(record).status === 'ACTIVE');
  if (active.length >= MAX_TOKENS_PER_USER) {
    throw new AppError(
      'CONFLICT',
      `You have ${MAX_TOKENS_PER_USER} active tokens; revoke one first`,
    );
  }

  const { token, parts } = createApiToken(caller.tenantId, caller.userId);
  const now = new Date();
  const record: ApiTokenRecord = {
    tokenId: parts.tokenId,
    tenantId: caller.tenantId,
    userId: caller.userId,
    name: options.name,
    tokenHash: hashApiToken(token),
    status: 'ACTIVE',
    createdAt: now.toISOString(),
    ...(options.expiresInDays && {
      tokenExpiresAt: Math.floor(now.getTime() / 1000) + options.expiresInDays * 24 * 60 * 60,
    }),
  };
  await putApiToken(record);
  logger.info('API token created', { token_id: record.tokenId });
  return { ...toApiTokenView(record), token };
}

export async function listMyApiTokens(options: {
  caller: Caller;
  limit?: number;
  cursor?: string;
}) {
  const page = await listApiTokens(options.caller.tenantId, options.caller.userId, options);
  return { items: page.items.map((record) => toApiTokenView(record)), nextCursor: page.nextCursor };
}

export async function revokeMyApiToken(options: {
  caller: Caller;
  tokenId: string;
}): Promise<void> {
  await revokeApiToken(
    options.caller.tenantId,
    options.caller.userId,
    options.tokenId,
    new Date().toISOString(),
  );
  logger.info('API token revoked', { token_id: options.tokenId });
}
