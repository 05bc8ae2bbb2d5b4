import { createHash } from 'node:crypto';
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { isLocalMode, optionalEnv, requireEnv } from '../env';

/** The claims the API uses from a verified Cognito ID token. */
export interface IdTokenClaims {
  sub: string;
  email: string | undefined;
  tenantId: string | undefined;
  role: string | undefined;
}

/** An unknown key id refetches the key set at most once per this many seconds. */
const JWKS_REFETCH_SECONDS = 60;

interface Verifier {
  verify(token: string): Promise<JwtPayload>;
}

let verifier: Verifier | undefined;

/** Verified tokens kept at most; beyond it the oldest entry goes first. */
const MAX_VERIFIED_TOKENS = 1_000;

/** Claims of tokens verified before, by the SHA-256 of the token, until the token expires. */
const verifiedTokens = new Map<string, { claims: IdTokenClaims; expiresAt: number }>();

/**
 * Verifies a Cognito ID token of our pool and SPA client: signature, expiry, `token_use`
 * `id`, audience and issuer, all pinned from configuration. Throws on any failure. A token
 * verified before is not verified again until it expires, because verification reads only
 * the token and the pool's public keys, so its result cannot change. A warm function
 * receives the same token on every call of a client.
 */
export async function verifyIdToken(token: string): Promise<IdTokenClaims> {
  const digest = createHash('sha256').update(token).digest('base64');
  const known = verifiedTokens.get(digest);
  if (known && known.expiresAt > Date.now()) return known.claims;
  verifiedTokens.delete(digest);

  verifier ??= createVerifier();
  const payload = await verifier.verify(token);
  const claims: IdTokenClaims = {
    sub: String(payload.sub),
    email: typeof payload.email === 'string' ? payload.email : undefined,
    tenantId:
      typeof payload['custom:tenantId'] === 'string' ? payload['custom:tenantId'] : undefined,
    role: typeof payload['custom:role'] === 'string' ? payload['custom:role'] : undefined,
  };
  if (verifiedTokens.size >= MAX_VERIFIED_TOKENS) {
    const oldest = verifiedTokens.keys().next().value;
    if (oldest !== undefined) verifiedTokens.delete(oldest);
  }
  verifiedTokens.set(digest, { claims, expiresAt: Number(payload.exp) * 1000 });
  return claims;
}

function createVerifier(): Verifier {
  const userPoolId = requireEnv('USER_POOL_ID');
  const clientId = requireEnv('USER_POOL_CLIENT_ID');
  const penaltyBox = new SimplePenaltyBox({ waitSeconds: JWKS_REFETCH_SECONDS });

  const cognitoEndpoint = optionalEnv('COGNITO_ENDPOINT');
  if (isLocalMode() && cognitoEndpoint) {
    return createLocalVerifier(cognitoEndpoint, userPoolId, clientId, penaltyBox);
  }
  return CognitoJwtVerifier.create(
    { userPoolId, clientId, tokenUse: 'id' },
    { jwksCache: new SimpleJwksCache({ penaltyBox }) },
  );
}

/**
 * cognito-local signs with a key that ships inside its npm package, so its issuer is
 * trusted only in local mode and only on a loopback address. `CognitoJwtVerifier` rejects
 * `local_` pool ids and the stock fetcher only speaks HTTPS, so this uses `JwtRsaVerifier`
 * with a fetcher for the loopback JWKS URL.
 */
function createLocalVerifier(
  cognitoEndpoint: string,
  userPoolId: string,
  clientId: string,
  penaltyBox: SimplePenaltyBox,
): Verifier {
  const endpoint = new URL(cognitoEndpoint);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(endpoint.hostname)) {
    throw new Error(
      `COGNITO_ENDPOINT must be a loopback address in local mode, got ${endpoint.hostname}`,
    );
  }
  const issuer = `${endpoint.origin}/${userPoolId}`;
  const fetcher = {
    fetch: async (uri: string): Promise<ArrayBuffer> => {
      const response = await fetch(uri, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`JWKS request failed with status ${response.status}`);
      return response.arrayBuffer();
    },
  };
  return JwtRsaVerifier.create(
    {
      issuer,
      audience: clientId,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new Error('Token is not an ID token');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher, penaltyBox }) },
  );
}

/** Drops the cached verifier and verified tokens; tests use it after changing the environment. */
export function resetTokenVerifier(): void {
  verifier = undefined;
  verifiedTokens.clear();
}
