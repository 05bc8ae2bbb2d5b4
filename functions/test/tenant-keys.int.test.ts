import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResult,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';
import { createFundedMember, type FundedMember, readRequestLedger } from './ai-call-checks';

/**
 * Tenants' own OpenAI keys through the local stack: setting, testing and removing a key, the
 * proxy's key choice per call (checked by the upstream's SHA-256 of each bearer key), and
 * what happens when the tenant's key starts failing upstream.
 */

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** Returns a key whose last 32 characters are random hex; a `label` such as `invalid` goes first. */
const newKey = (label = ''): string => `sk-proj-${label}${randomBytes(16).toString('hex')}`;
/** Every key this file sends, checked for leaks at the end. */
const sentKeys: string[] = [];
const trackedKey = (label = ''): string => {
  const key = newKey(label);
  sentKeys.push(key);
  return key;
};

/** Plan models that include an embeddings model. */
const embeddingsModels = { models: ['gpt-4o-mini', 'text-embedding-3-small'] };

const chatBody = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello' }],
  max_tokens: 20,
};

describe('tenant keys', () => {
  let stack: TestStack;
  /** Plan allows own keys and falls back to the platform key. */
  let fallback: FundedMember;
  /** Plan allows own keys and refuses calls once the own key is inactive. */
  let refusing: FundedMember;
  /** Plan without own keys; always on the platform key. */
  let plain: FundedMember;
  const fallbackKey = trackedKey();
  const refusingKey = trackedKey();
  /** Every response body of this file, searched for keys at the end. */
  const bodies: string[] = [];

  const call = async (
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiResult> => {
    const result = await stack.api(token, method, path, body);
    bodies.push(JSON.stringify(result.body ?? ''));
    return result;
  };
  const keyPath = (member: FundedMember) => `/v1/tenants/${member.tenantId}/ai-key`;

  /** Sends one chat call and returns the response with the key hash of its last upstream request. */
  const chat = async (member: FundedMember) => {
    const response = await call(member.session.idToken, 'POST', '/v1/chat/completions', chatBody);
    const requests = (await stack.upstream.listRequests()).filter(
      (request) => request.path === '/v1/chat/completions',
    );
    return { response, keySha256: requests.at(-1)?.keySha256, upstreamCount: requests.length };
  };

  beforeAll(async () => {
    // No call context cache, so each call reads the key state its test just set.
    stack = await startTestStack({ handlerEnv: { CALL_CONTEXT_CACHE_MS: '0' } });
    fallback = await createFundedMember(stack, {
      name: 'Fallback',
      credits: 100_000,
      planOverrides: { ...embeddingsModels, allowOwnKey: true, ownKeyFallback: 'platform' },
    });
    refusing = await createFundedMember(stack, {
      name: 'Refusing',
      credits: 100_000,
      planOverrides: { allowOwnKey: true, ownKeyFallback: 'refuse' },
    });
    plain = await createFundedMember(stack, {
      name: 'Plain',
      credits: 100_000,
      planOverrides: { allowOwnKey: false },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('starts on the platform key', async () => {
    const status = await call(fallback.admin.idToken, 'GET', keyPath(fallback));

    expect(status.status).toBe(200);
    expect(status.body).toEqual({ source: 'platform', status: 'Active' });
  });

  it('rejects an invalid key and changes nothing', async () => {
    const invalidKey = trackedKey('invalid');
    const response = await call(fallback.admin.idToken, 'PUT', keyPath(fallback), {
      apiKey: invalidKey,
    });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(response.body)).toContain('apiKey');
    const status = await call(fallback.admin.idToken, 'GET', keyPath(fallback));
    expect(status.body).toEqual({ source: 'platform', status: 'Active' });
  });

  it('rejects a key when the plan disallows own keys', async () => {
    const response = await call(plain.admin.idToken, 'PUT', keyPath(plain), {
      apiKey: trackedKey(),
    });

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
    const status = await call(plain.admin.idToken, 'GET', keyPath(plain));
    expect(status.body).toEqual({ source: 'platform', status: 'Active' });
  });

  it('rejects a key set by a user of the tenant', async () => {
    const response = await call(fallback.session.idToken, 'PUT', keyPath(fallback), {
      apiKey: fallbackKey,
    });

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
  });

  it('sets a valid key as Active', async () => {
    const response = await call(fallback.admin.idToken, 'PUT', keyPath(fallback), {
      apiKey: fallbackKey,
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ source: 'tenant', status: 'Active' });
    const status = await call(fallback.admin.idToken, 'GET', keyPath(fallback));
    expect(status.body).toEqual({ source: 'tenant', status: 'Active' });
  });

  it('keeps the stored key after an invalid replacement', async () => {
    const response = await call(fallback.admin.idToken, 'PUT', keyPath(fallback), {
      apiKey: trackedKey('invalid'),
    });
    const { keySha256 } = await chat(fallback);

    expect(response.status).toBe(400);
    expect(keySha256).toBe(sha256(fallbackKey));
  });

  it('uses the right key for interleaved tenants', async () => {
    const platformCall = await chat(plain);
    const platformSha = platformCall.keySha256;
    expect(platformCall.response.status).toBe(200);
    expect(platformSha).toMatch(/^[0-9a-f]{64}$/);
    expect(platformSha).not.toBe(sha256(fallbackKey));

    for (let round = 0; round < 3; round++) {
      const own = await chat(fallback);
      const platform = await chat(plain);

      expect(own.response.status).toBe(200);
      expect(own.keySha256).toBe(sha256(fallbackKey));
      expect(platform.response.status).toBe(200);
      expect(platform.keySha256).toBe(platformSha);
    }

    const embeddings = await call(fallback.session.idToken, 'POST', '/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: 'Embed me',
    });
    const lastEmbeddings = (await stack.upstream.listRequests())
      .filter((request) => request.path === '/v1/embeddings')
      .at(-1);
    expect(embeddings.status).toBe(200);
    expect(lastEmbeddings?.keySha256).toBe(sha256(fallbackKey));
  });

  it('records the key source on the SETTLE entry', async () => {
    const own = await chat(fallback);
    const platform = await chat(plain);
    const ownRequestId = own.response.headers.get('x-creditgate-request-id') ?? '';
    const platformRequestId = platform.response.headers.get('x-creditgate-request-id') ?? '';

    const ownSettle = (await readRequestLedger(stack, fallback.session, ownRequestId)).find(
      (entry) => entry.type === 'SETTLE',
    ) as { keySource?: string } | undefined;
    const platformSettle = (await readRequestLedger(stack, plain.session, platformRequestId)).find(
      (entry) => entry.type === 'SETTLE',
    ) as { keySource?: string } | undefined;
    expect(ownSettle?.keySource).toBe('tenant');
    expect(platformSettle?.keySource).toBe('platform');
  });

  it('falls back to the platform key when the own key fails', async () => {
    const platformSha = (await chat(plain)).keySha256;
    await stack.upstream.setBehaviour({
      mode: 'status',
      status: 401,
      match: { keySha256: sha256(fallbackKey) },
    });
    try {
      const failing = await chat(fallback);
      const requests = (await stack.upstream.listRequests()).filter(
        (request) => request.path === '/v1/chat/completions',
      );

      expect(failing.response.status).toBe(200);
      expect(requests.at(-2)?.keySha256).toBe(sha256(fallbackKey));
      expect(requests.at(-1)?.keySha256).toBe(platformSha);
      const status = await call(fallback.admin.idToken, 'GET', keyPath(fallback));
      expect(status.body).toEqual({ source: 'tenant', status: 'Inactive' });

      // The inactive key is no longer tried.
      const next = await chat(fallback);
      expect(next.response.status).toBe(200);
      expect(next.upstreamCount).toBe(failing.upstreamCount + 1);
      expect(next.keySha256).toBe(platformSha);
    } finally {
      await stack.upstream.resetBehaviour();
    }

    const emails = await stack.readOutbox('admin@fallback.test');
    const keyEmails = emails.filter((email) => email.subject.includes('key'));
    expect(keyEmails).toHaveLength(1);
  });

  it('refuses calls when the own key fails and the plan refuses', async () => {
    const set = await call(refusing.admin.idToken, 'PUT', keyPath(refusing), {
      apiKey: refusingKey,
    });
    expect(set.status).toBe(200);
    expect((await chat(refusing)).keySha256).toBe(sha256(refusingKey));

    await stack.upstream.setBehaviour({
      mode: 'status',
      status: 401,
      match: { keySha256: sha256(refusingKey) },
    });
    try {
      const failing = await chat(refusing);
      expect(failing.response.status).toBe(403);
      expect(failing.response.body.error.message).toContain('inactive');

      const next = await chat(refusing);
      expect(next.response.status).toBe(403);
      // Refused before the hold, so upstream saw nothing more.
      expect(next.upstreamCount).toBe(failing.upstreamCount);
    } finally {
      await stack.upstream.resetBehaviour();
    }

    const status = await call(refusing.admin.idToken, 'GET', keyPath(refusing));
    expect(status.body).toEqual({ source: 'tenant', status: 'Inactive' });
    const me = await call(refusing.session.idToken, 'GET', '/v1/me');
    expect(me.body.held).toBe(0);
    const keyEmails = (await stack.readOutbox('admin@refusing.test')).filter((email) =>
      email.subject.includes('key'),
    );
    expect(keyEmails).toHaveLength(1);
  });

  it('returns to the platform key on removal', async () => {
    const platformSha = (await chat(plain)).keySha256;
    const removed = await call(refusing.admin.idToken, 'DELETE', keyPath(refusing));

    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ source: 'platform', status: 'Active' });
    const status = await call(refusing.admin.idToken, 'GET', keyPath(refusing));
    expect(status.body).toEqual({ source: 'platform', status: 'Active' });
    const after = await chat(refusing);
    expect(after.response.status).toBe(200);
    expect(after.keySha256).toBe(platformSha);

    const again = await call(refusing.admin.idToken, 'DELETE', keyPath(refusing));
    expect(again.status).toBe(404);
  });

  it('sets a key again after removal', async () => {
    const replacement = trackedKey();
    const set = await call(refusing.admin.idToken, 'PUT', keyPath(refusing), {
      apiKey: replacement,
    });

    expect(set.status).toBe(200);
    expect((await chat(refusing)).keySha256).toBe(sha256(replacement));
    await call(refusing.admin.idToken, 'DELETE', keyPath(refusing));
  });

  it('deactivates a key whose quota is exhausted', async () => {
    const quotaKey = trackedKey();
    const set = await call(refusing.admin.idToken, 'PUT', keyPath(refusing), { apiKey: quotaKey });
    expect(set.status).toBe(200);

    await stack.upstream.setBehaviour({
      mode: 'status',
      status: 429,
      body: {
        error: {
          message: 'Quota exceeded',
          type: 'insufficient_quota',
          code: 'insufficient_quota',
        },
      },
      match: { keySha256: sha256(quotaKey) },
    });
    try {
      const failing = await chat(refusing);

      expect(failing.response.status).toBe(403);
      expect(failing.keySha256).toBe(sha256(quotaKey));
    } finally {
      await stack.upstream.resetBehaviour();
    }
    const status = await call(refusing.admin.idToken, 'GET', keyPath(refusing));
    expect(status.body).toEqual({ source: 'tenant', status: 'Inactive' });
    await call(refusing.admin.idToken, 'DELETE', keyPath(refusing));
  });

  it('audits every key change', async () => {
    const audit = await call(
      fallback.admin.idToken,
      'GET',
      `/v1/tenants/${fallback.tenantId}/audit?action=key.update`,
    );

    expect(audit.status).toBe(200);
    const changes = (audit.body.items as { details?: { change?: string } }[]).map(
      (entry) => entry.details?.change,
    );
    expect(changes.sort()).toEqual(['deactivate', 'set']);
  });

  it('never exposes a tenant key', async () => {
    const logFiles = await readdir(stack.info.logDir);
    const logs = await Promise.all(
      logFiles.map((file) => readFile(join(stack.info.logDir, file), 'utf8')),
    );
    const texts = [...bodies, ...logs];

    expect(sentKeys.length).toBeGreaterThan(4);
    for (const key of sentKeys) {
      // Every 8-character piece of the random part, which follows `sk-proj-` and a label.
      const secretPart = key.slice(-32);
      for (let start = 0; start + 8 <= secretPart.length; start++) {
        const piece = secretPart.slice(start, start + 8);
        for (const text of texts) expect(text.includes(piece), piece).toBe(false);
      }
    }
    // Responses name no secret either: no ARN and no secret name of a tenant.
    for (const body of bodies) {
      expect(body).not.toContain('arn:aws:secretsmanager');
      expect(body).not.toContain('creditgate/tenants/');
    }
  });
});
