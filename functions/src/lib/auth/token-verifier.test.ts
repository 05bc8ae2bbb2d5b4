import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import type { AddressInfo } from 'node:net';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import {
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetTokenVerifier, verifyIdToken } from './token-verifier';

/**
 * Unit tests of the ID token verifier against a JWKS served by a loopback HTTP server that
 * this file starts. Tokens are signed here with RSA keys generated per run.
 */

const POOL_ID = 'local_test';
const CLIENT_ID = 'client1';
const KID = 'key-1';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

function toJwk(key: SigningKey): Record<string, unknown> {
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: 'RS256', use: 'sig' };
}

/** Encodes a JWT header or payload: JSON, then base64url without padding. */
const encodeJwtPart = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `payload` as an RS256 JWT with `key`. The header's `kid` defaults to the key's id. */
function signJwt(payload: Record<string, unknown>, key: SigningKey, kid = key.kid): string {
  const header = encodeJwtPart({ alg: 'RS256', kid, typ: 'JWT' });
  const signingInput = `${header}.${encodeJwtPart(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe('verifyIdToken', () => {
  const poolKey = newSigningKey(KID);
  const otherKey = newSigningKey(KID);
  /** Paths of the requests the JWKS server received, in order. */
  const jwksRequests: string[] = [];
  /** The keys the JWKS server publishes. A test may add a key to simulate a rotation. */
  let publishedKeys: SigningKey[] = [poolKey];
  let jwksStatus = 200;
  let server: Server;
  let endpoint: string;
  let issuer: string;

  /** Returns the claims of a good ID token of the pool and client, with `overrides` applied. */
  const idTokenPayload = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    sub: '7d1f6a0e-1111-4222-8333-944455556666',
    iss: issuer,
    aud: CLIENT_ID,
    token_use: 'id',
    iat: nowSeconds() - 10,
    auth_time: nowSeconds() - 10,
    exp: nowSeconds() + 3600,
    email: 'dev@acme.test',
    'custom:tenantId': 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0',
    'custom:role': 'User',
    ...overrides,
  });

  beforeAll(async () => {
    server = createServer((request, response) => {
      jwksRequests.push(request.url ?? '');
      if (request.url !== `/${POOL_ID}/.well-known/jwks.json` || jwksStatus !== 200) {
        response.writeHead(request.url === `/${POOL_ID}/.well-known/jwks.json` ? jwksStatus : 404);
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: publishedKeys.map(toJwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    endpoint = `http://127.0.0.1:${port}`;
    issuer = `${endpoint}/${POOL_ID}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  beforeEach(() => {
    vi.stubEnv('CREDITGATE_LOCAL', '1');
    vi.stubEnv('COGNITO_ENDPOINT', endpoint);
    vi.stubEnv('USER_POOL_ID', POOL_ID);
    vi.stubEnv('USER_POOL_CLIENT_ID', CLIENT_ID);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    resetTokenVerifier();
    jwksRequests.length = 0;
    publishedKeys = [poolKey];
    jwksStatus = 200;
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    resetTokenVerifier();
  });

  describe('in local mode', () => {
    it('accepts ID token and returns claims', async () => {
      const claims = await verifyIdToken(signJwt(idTokenPayload(), poolKey));

      expect(claims).toEqual({
        sub: '7d1f6a0e-1111-4222-8333-944455556666',
        email: 'dev@acme.test',
        tenantId: 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0',
        role: 'User',
      });
      expect(jwksRequests).toEqual([`/${POOL_ID}/.well-known/jwks.json`]);
    });

    it('caches key set across tokens', async () => {
      await verifyIdToken(signJwt(idTokenPayload(), poolKey));
      await verifyIdToken(signJwt(idTokenPayload({ sub: 'second-user' }), poolKey));

      expect(jwksRequests).toHaveLength(1);
    });

    it('verifies a token once until it expires', async () => {
      const verify = vi.spyOn(JwtRsaVerifier.prototype, 'verify');
      const payload = idTokenPayload();
      const token = signJwt(payload, poolKey);

      const first = await verifyIdToken(token);
      const second = await verifyIdToken(token);

      expect(second).toEqual(first);
      expect(verify).toHaveBeenCalledTimes(1);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime((Number(payload.exp) + 1) * 1000);
      await expect(verifyIdToken(token)).rejects.toThrow(JwtExpiredError);
      expect(verify).toHaveBeenCalledTimes(2);
    });

    it('verifies a rejected token again', async () => {
      const verify = vi.spyOn(JwtRsaVerifier.prototype, 'verify');
      const token = signJwt(idTokenPayload(), otherKey);

      await expect(verifyIdToken(token)).rejects.toThrow(JwtInvalidSignatureError);
      await expect(verifyIdToken(token)).rejects.toThrow(JwtInvalidSignatureError);

      expect(verify).toHaveBeenCalledTimes(2);
    });

    it('returns undefined for missing custom claims', async () => {
      const payload = idTokenPayload();
      delete payload['custom:tenantId'];
      delete payload['custom:role'];
      delete payload.email;

      const claims = await verifyIdToken(signJwt(payload, poolKey));

      expect(claims.tenantId).toBeUndefined();
      expect(claims.role).toBeUndefined();
      expect(claims.email).toBeUndefined();
    });

    it('rejects expired token', async () => {
      const token = signJwt(
        idTokenPayload({ iat: nowSeconds() - 7200, exp: nowSeconds() - 60 }),
        poolKey,
      );

      await expect(verifyIdToken(token)).rejects.toThrow(JwtExpiredError);
    });

    it('rejects token before nbf', async () => {
      const token = signJwt(idTokenPayload({ nbf: nowSeconds() + 600 }), poolKey);

      await expect(verifyIdToken(token)).rejects.toThrow(JwtNotBeforeError);
    });

    it('rejects unsigned token', async () => {
      const header = encodeJwtPart({ alg: 'none', kid: KID, typ: 'JWT' });
      const token = `${header}.${encodeJwtPart(idTokenPayload())}.`;

      await expect(verifyIdToken(token)).rejects.toThrow(JwtParseError);
      expect(jwksRequests).toHaveLength(0);
    });

    it('rejects alg none with signature', async () => {
      const signed = signJwt(idTokenPayload(), poolKey);
      const signature = signed.split('.')[2];
      const header = encodeJwtPart({ alg: 'none', kid: KID, typ: 'JWT' });
      const token = `${header}.${encodeJwtPart(idTokenPayload())}.${signature}`;

      await expect(verifyIdToken(token)).rejects.toThrow(JwtInvalidSignatureAlgorithmError);
    });

    it.each([
      ['empty string', ''],
      ['two parts', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0'],
      ['garbage base64', 'not-json.still-not-json.sig'],
      ['characters outside base64url', 'a+b.c/d.e*f'],
      ['four parts', 'a.b.c.d'],
    ])('rejects malformed token: %s', async (_, token) => {
      await expect(verifyIdToken(token)).rejects.toThrow(JwtParseError);
      expect(jwksRequests).toHaveLength(0);
    });

    it('rejects token signed by another key', async () => {
      const token = signJwt(idTokenPayload(), otherKey);

      await expect(verifyIdToken(token)).rejects.toThrow(JwtInvalidSignatureError);
    });

    it('rejects tampered payload', async () => {
      const [header, , signature] = signJwt(idTokenPayload(), poolKey).split('.');
      const payload = encodeJwtPart(idTokenPayload({ 'custom:role': 'SuperAdmin' }));

      await expect(verifyIdToken(`${header}.${payload}.${signature}`)).rejects.toThrow(
        JwtInvalidSignatureError,
      );
    });

    it('rejects access token', async () => {
      const token = signJwt(idTokenPayload({ token_use: 'access' }), poolKey);

      await expect(verifyIdToken(token)).rejects.toThrow('Token is not an ID token');
    });

    it('rejects access token with client_id', async () => {
      const payload = idTokenPayload({ token_use: 'access', client_id: CLIENT_ID });
      delete payload.aud;

      await expect(verifyIdToken(signJwt(payload, poolKey))).rejects.toThrow(
        JwtInvalidAudienceError,
      );
    });

    it('rejects token without token_use', async () => {
      const payload = idTokenPayload();
      delete payload.token_use;

      await expect(verifyIdToken(signJwt(payload, poolKey))).rejects.toThrow(
        'Token is not an ID token',
      );
    });

    it('rejects token of another pool', async () => {
      const token = signJwt(idTokenPayload({ iss: `${endpoint}/local_other` }), poolKey);

      await expect(verifyIdToken(token)).rejects.toThrow(JwtInvalidIssuerError);
      expect(jwksRequests).toEqual([`/${POOL_ID}/.well-known/jwks.json`]);
    });

    it('rejects token of another client', async () => {
      const token = signJwt(idTokenPayload({ aud: 'client2' }), poolKey);

      await expect(verifyIdToken(token)).rejects.toThrow(JwtInvalidAudienceError);
    });

    it('rejects unknown key id', async () => {
      const token = signJwt(idTokenPayload(), otherKey, 'key-unknown');

      await expect(verifyIdToken(token)).rejects.toThrow(KidNotFoundInJwksError);
    });

    it('rejects token when key set request fails', async () => {
      jwksStatus = 500;

      await expect(verifyIdToken(signJwt(idTokenPayload(), poolKey))).rejects.toThrow(
        'JWKS request failed with status 500',
      );
    });

    it('refetches key set at most once a minute', async () => {
      // Only timers are faked: the penalty box releases a key set URI with setTimeout.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      await verifyIdToken(signJwt(idTokenPayload(), poolKey));
      expect(jwksRequests).toHaveLength(1);

      await expect(
        verifyIdToken(signJwt(idTokenPayload(), otherKey, 'key-unknown-a')),
      ).rejects.toThrow(KidNotFoundInJwksError);
      expect(jwksRequests).toHaveLength(2);

      await expect(
        verifyIdToken(signJwt(idTokenPayload(), otherKey, 'key-unknown-b')),
      ).rejects.toThrow(WaitPeriodNotYetEndedJwkError);
      expect(jwksRequests).toHaveLength(2);

      vi.advanceTimersByTime(59_000);
      await expect(
        verifyIdToken(signJwt(idTokenPayload(), otherKey, 'key-unknown-c')),
      ).rejects.toThrow(WaitPeriodNotYetEndedJwkError);
      expect(jwksRequests).toHaveLength(2);

      vi.advanceTimersByTime(1_000);
      await expect(
        verifyIdToken(signJwt(idTokenPayload(), otherKey, 'key-unknown-d')),
      ).rejects.toThrow(KidNotFoundInJwksError);
      expect(jwksRequests).toHaveLength(3);
    });

    it('keeps known keys working during wait period', async () => {
      await verifyIdToken(signJwt(idTokenPayload(), poolKey));
      await expect(
        verifyIdToken(signJwt(idTokenPayload(), otherKey, 'key-unknown')),
      ).rejects.toThrow(KidNotFoundInJwksError);

      const claims = await verifyIdToken(signJwt(idTokenPayload(), poolKey));

      expect(claims.role).toBe('User');
      expect(jwksRequests).toHaveLength(2);
    });

    it('accepts rotated key after wait period', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const rotatedKey = newSigningKey('key-2');
      await verifyIdToken(signJwt(idTokenPayload(), poolKey));
      await expect(
        verifyIdToken(signJwt(idTokenPayload(), otherKey, 'key-unknown')),
      ).rejects.toThrow(KidNotFoundInJwksError);
      publishedKeys = [poolKey, rotatedKey];

      await expect(verifyIdToken(signJwt(idTokenPayload(), rotatedKey))).rejects.toThrow(
        WaitPeriodNotYetEndedJwkError,
      );
      vi.advanceTimersByTime(60_000);
      const claims = await verifyIdToken(signJwt(idTokenPayload(), rotatedKey));

      expect(claims.role).toBe('User');
      expect(jwksRequests).toHaveLength(3);
    });

    it.each([
      ['another host', 'http://cognito.example.test:9229'],
      ['loopback address as subdomain', 'http://127.0.0.1.example.test:9229'],
      ['localhost as subdomain', 'http://localhost.example.test:9229'],
    ])('rejects non-loopback endpoint: %s', async (_, cognitoEndpoint) => {
      // The verifier must fail while it is built; this guard makes any fetch fail too.
      const fetchSpy = vi
        .spyOn(globalThis, 'fetch')
        .mockRejectedValue(new Error('Outgoing fetch blocked by the test'));
      vi.stubEnv('COGNITO_ENDPOINT', cognitoEndpoint);
      const token = signJwt(idTokenPayload({ iss: `${cognitoEndpoint}/${POOL_ID}` }), poolKey);

      await expect(verifyIdToken(token)).rejects.toThrow(
        'COGNITO_ENDPOINT must be a loopback address in local mode',
      );
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(jwksRequests).toHaveLength(0);
    });

    it('accepts localhost endpoint', async () => {
      const localhostEndpoint = endpoint.replace('127.0.0.1', 'localhost');
      vi.stubEnv('COGNITO_ENDPOINT', localhostEndpoint);
      const token = signJwt(idTokenPayload({ iss: `${localhostEndpoint}/${POOL_ID}` }), poolKey);

      const claims = await verifyIdToken(token);

      expect(claims.role).toBe('User');
      expect(jwksRequests).toHaveLength(1);
    });
  });

  describe('outside local mode', () => {
    /**
     * Replaces `https.request`, which the library's default JWKS fetcher imports by name, and
     * global `fetch` with stubs that fail, so no request can leave the process.
     */
    function blockOutgoingRequests() {
      const originalRequest = https.request;
      const requestStub = vi.fn(() => {
        throw new Error('Outgoing HTTPS request blocked by the test');
      });
      https.request = requestStub as unknown as typeof https.request;
      syncBuiltinESMExports();
      const fetchSpy = vi
        .spyOn(globalThis, 'fetch')
        .mockRejectedValue(new Error('Outgoing fetch blocked by the test'));
      return {
        requestStub,
        fetchSpy,
        restore: () => {
          https.request = originalRequest;
          syncBuiltinESMExports();
        },
      };
    }

    beforeEach(() => {
      vi.stubEnv('CREDITGATE_LOCAL', undefined);
    });

    it('request guard replaces https.request', async () => {
      const guard = blockOutgoingRequests();
      try {
        const nativeHttps = await import('node:https');
        expect(nativeHttps.request).toBe(guard.requestStub);
      } finally {
        guard.restore();
      }
    });

    it('rejects local issuer with AWS pool id', async () => {
      vi.stubEnv('USER_POOL_ID', 'us-east-1_localtest');
      const guard = blockOutgoingRequests();
      try {
        const token = signJwt(idTokenPayload(), poolKey);

        await expect(verifyIdToken(token)).rejects.toThrow(ParameterValidationError);
        await expect(verifyIdToken(token)).rejects.toThrow(`issuer not configured: ${issuer}`);
        expect(guard.requestStub).not.toHaveBeenCalled();
        expect(guard.fetchSpy).not.toHaveBeenCalled();
        expect(jwksRequests).toHaveLength(0);
      } finally {
        guard.restore();
      }
    });

    it('rejects local issuer with local pool id', async () => {
      const guard = blockOutgoingRequests();
      try {
        const token = signJwt(idTokenPayload(), poolKey);

        await expect(verifyIdToken(token)).rejects.toThrow(
          `Invalid Cognito User Pool ID: ${POOL_ID}`,
        );
        expect(guard.requestStub).not.toHaveBeenCalled();
        expect(guard.fetchSpy).not.toHaveBeenCalled();
        expect(jwksRequests).toHaveLength(0);
      } finally {
        guard.restore();
      }
    });

    it('ignores CREDITGATE_LOCAL other than 1', async () => {
      vi.stubEnv('CREDITGATE_LOCAL', 'true');
      vi.stubEnv('USER_POOL_ID', 'us-east-1_localtest');
      const guard = blockOutgoingRequests();
      try {
        const token = signJwt(idTokenPayload(), poolKey);

        await expect(verifyIdToken(token)).rejects.toThrow(`issuer not configured: ${issuer}`);
        expect(guard.requestStub).not.toHaveBeenCalled();
        expect(guard.fetchSpy).not.toHaveBeenCalled();
        expect(jwksRequests).toHaveLength(0);
      } finally {
        guard.restore();
      }
    });
  });
});
