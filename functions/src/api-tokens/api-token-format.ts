import { createHash, randomBytes } from 'node:crypto';
import { isValidId, ulid } from '@creditgate/shared';

/** Prefix of personal API tokens, so secret scanners and people recognise them. */
export const API_TOKEN_PREFIX = 'cg';

const TOKEN_ID_PATTERN = /^tok_[0-9A-HJKMNP-TV-Z]{26}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The parts of a personal API token: `cg.<tenantId>.<userId>.<tokenId>.<secret>`. */
export interface ApiTokenParts {
  tenantId: string;
  userId: string;
  tokenId: string;
  secret: string;
}

export const newTokenId = (): string => `tok_${ulid()}`;

export function isTokenId(value: string): boolean {
  return TOKEN_ID_PATTERN.test(value);
}

/** Creates a token for a user; the caller shows it once and stores only its hash. */
export function createApiToken(
  tenantId: string,
  userId: string,
): { token: string; parts: ApiTokenParts } {
  const parts = {
    tenantId,
    userId,
    tokenId: newTokenId(),
    secret: randomBytes(32).toString('base64url'),
  };
  return { token: formatApiToken(parts), parts };
}

export function formatApiToken(parts: ApiTokenParts): string {
  return [API_TOKEN_PREFIX, parts.tenantId, parts.userId, parts.tokenId, parts.secret].join('.');
}

/** Returns the parts of a well-formed token, or undefined for anything else. */
export function parseApiToken(token: string): ApiTokenParts | undefined {
  const pieces = token.split('.');
  if (pieces.length !== 5 || pieces[0] !== API_TOKEN_PREFIX) return undefined;
  const [, tenantId, userId, tokenId, secret] = pieces as [string, string, string, string, string];
  if (!isValidId('tenantId', tenantId) || !isValidId('userId', userId)) return undefined;
  if (!isTokenId(tokenId) || !SECRET_PATTERN.test(secret)) return undefined;
  return { tenantId, userId, tokenId, secret };
}

/** True when a bearer value looks like a personal API token rather than a JWT. */
export function isApiTokenShaped(token: string): boolean {
  return token.startsWith(`${API_TOKEN_PREFIX}.`);
}

/**
 * Returns the stored hash of a token: SHA-256 of the whole token. The secret has 256 random
 * bits, so a fast hash is enough; nothing that could recover the token is stored.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
