import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PLATFORM_ADMIN_KEY_SECRET_NAME, PLATFORM_KEY_SECRET_NAME } from '@creditgate/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../infra/local/stack/bootstrap';
import {
  type ApiResult,
  newPassword,
  planInput,
  type Session,
  startTestStack,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/**
 * Platform key rotation through the local Secrets Manager endpoint, which runs the rotation
 * function's four steps before RotateSecret returns. The proxy reads the key on every call
 * (`AI_KEY_CACHE_SECONDS=0`) and replaced keys are revoked as soon as the job runs
 * (`KEY_REVOKE_GRACE_MINUTES=0`). The tests run in order and share the secret's history.
 * The last test reads every response body of the key routes and every log line of the stack.
 */

const LOCAL_PROJECT_ID = 'proj_local';
const chatBody = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Rotation check' }],
  max_tokens: 20,
};

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('platform key rotation', () => {
  let stack: TestStack;
  let secrets: SecretsManagerClient;
  let superAdmin: Session;
  let member: Session;
  /** Every key seen in the test, with the public prefix that may appear in output. */
  const knownKeys = new Map<string, string>();
  /** Every response body of the key routes, checked for key fragments at the end. */
  const responseTexts: string[] = [];

  const requireStatus = (response: ApiResult, status: number, step: string): ApiResult => {
    if (response.status !== status) {
      throw new Error(`${step} returned HTTP ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response;
  };

  /** Calls a key route as the SuperAdmin and keeps the response body for the leak check. */
  const keyRoute = async (method: string, path: string, body?: unknown): Promise<ApiResult> => {
    const response = await stack.api(superAdmin.idToken, method, path, body);
    responseTexts.push(JSON.stringify(response.body));
    return response;
  };

  const versionStages = async (): Promise<Record<string, string[]>> =>
    (await secrets.send(new DescribeSecretCommand({ SecretId: PLATFORM_KEY_SECRET_NAME })))
      .VersionIdsToStages ?? {};

  const versionWith = async (stage: string): Promise<string | undefined> =>
    Object.entries(await versionStages()).find(([, stages]) => stages.includes(stage))?.[0];

  const readValue = async (stage: string): Promise<Record<string, string>> => {
    const result = await secrets.send(
      new GetSecretValueCommand({ SecretId: PLATFORM_KEY_SECRET_NAME, VersionStage: stage }),
    );
    return JSON.parse(result.SecretString ?? '{}') as Record<string, string>;
  };

  const rememberKey = (key: string, prefix: string) => knownKeys.set(key, prefix);

  /** Calls the local upstream directly with `key`; returns the HTTP status. */
  const upstreamStatusFor = async (key: string): Promise<number> => {
    const response = await fetch(`${stack.info.openaiBaseUrl}/models`, {
      headers: { authorization: `Bearer ${key}` },
    });
    await response.body?.cancel();
    return response.status;
  };

  const adminRequest = async (method: string, path: string) => {
    const adminSecret = await secrets.send(
      new GetSecretValueCommand({ SecretId: PLATFORM_ADMIN_KEY_SECRET_NAME }),
    );
    const { adminKey } = JSON.parse(adminSecret.SecretString ?? '{}') as { adminKey: string };
    const response = await fetch(
      `${stack.info.openaiBaseUrl}/organization/projects/${LOCAL_PROJECT_ID}${path}`,
      { method, headers: { authorization: `Bearer ${adminKey}` } },
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const listServiceAccountIds = async (): Promise<string[]> => {
    const { body } = await adminRequest('GET', '/service_accounts?limit=100');
    return (body.data as { id: string }[]).map((account) => account.id);
  };

  const chat = () => stack.api(member.idToken, 'POST', '/v1/chat/completions', chatBody);

  const rotateNow = async (): Promise<string> => {
    const response = requireStatus(
      await keyRoute('POST', '/v1/platform/ai-key/rotation'),
      202,
      'Rotate now',
    );
    const minted = await readValue('AWSCURRENT');
    rememberKey(minted.apiKey as string, 'sk-svcacct-');
    return response.body.versionId as string;
  };

  beforeAll(async () => {
    stack = await startTestStack({
      // DEBUG, so the leak check at the end also reads every info and debug line.
      handlerEnv: {
        AI_KEY_CACHE_SECONDS: '0',
        KEY_REVOKE_GRACE_MINUTES: '0',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
      },
    });
    secrets = new SecretsManagerClient({
      region: stack.info.region,
      endpoint: stack.info.secretsManagerEndpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    superAdmin = await stack.signIn(stack.info.superAdmin.email, stack.info.superAdmin.password);
    rememberKey((await readValue('AWSCURRENT')).apiKey as string, 'sk-local-platform-');

    const plan = requireStatus(
      await stack.api(
        superAdmin.idToken,
        'POST',
        '/v1/plans',
        planInput({ requestsPerMinute: 1_000, concurrentStreams: 50 }),
      ),
      201,
      'create plan',
    );
    const tenant = requireStatus(
      await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
        name: 'Rotation',
        planId: plan.body.planId,
        adminEmail: 'admin@rotation.test',
        creditLimit: 10_000_000,
      }),
      201,
      'create tenant',
    );
    const tenantId = tenant.body.tenantId as string;
    member = await stack.acceptInvite('admin@rotation.test', newPassword());
    requireStatus(
      await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
        amount: 5_000_000,
        reason: 'Rotation test calls',
      }),
      201,
      'grant credits',
    );
    requireStatus(
      await stack.api(
        member.idToken,
        'POST',
        `/v1/tenants/${tenantId}/users/${tenant.body.admin.userId}/credits`,
        { operation: 'allocate', amount: 5_000_000 },
      ),
      200,
      'allocate credits',
    );
  });

  afterAll(async () => {
    secrets?.destroy();
    await stack?.stop();
  });

  it('status starts active with rotation on', async () => {
    const response = requireStatus(await keyRoute('GET', '/v1/platform/ai-key'), 200, 'status');

    expect(response.body).toEqual({
      status: 'Active',
      source: 'platform',
      lastRotatedAt: null,
      nextRotationAt: expect.any(String),
      rotationEnabled: true,
      lastFailure: null,
    });
    const daysToNext = (Date.parse(response.body.nextRotationAt) - Date.now()) / 86_400_000;
    expect(daysToNext).toBeGreaterThan(29);
    expect(daysToNext).toBeLessThanOrEqual(30);
  });

  it('rotate now mints a key', async () => {
    const oldVersionId = await versionWith('AWSCURRENT');
    const accountsBefore = await listServiceAccountIds();

    const versionId = await rotateNow();

    const stages = await versionStages();
    expect(stages[versionId]).toContain('AWSCURRENT');
    expect(stages[oldVersionId as string]).toEqual(['AWSPREVIOUS']);
    const current = await readValue('AWSCURRENT');
    expect(current.apiKey).toMatch(/^sk-svcacct-/);
    expect(current.source).toBe('minted');
    const accountsAfter = await listServiceAccountIds();
    expect(accountsAfter).toHaveLength(accountsBefore.length + 1);
    expect(accountsAfter).toContain(current.serviceAccountId);
  });

  it('status shows the rotation', async () => {
    const response = requireStatus(await keyRoute('GET', '/v1/platform/ai-key'), 200, 'status');

    expect(Date.now() - Date.parse(response.body.lastRotatedAt)).toBeLessThan(60_000);
    expect(response.body.status).toBe('Active');
    expect(response.body.lastFailure).toBeNull();
  });

  it('chat uses the new key', async () => {
    const current = (await readValue('AWSCURRENT')).apiKey as string;
    await stack.upstream.clearRequests();

    const response = await chat();

    expect(response.status).toBe(200);
    const calls = (await stack.upstream.listRequests()).filter(
      (request) => request.path === '/v1/chat/completions',
    );
    expect(calls.map((call) => call.keySha256)).toEqual([sha256(current)]);
  });

  it('calls succeed during rotation', async () => {
    const calls = Array.from({ length: 12 }, () => chat());
    const rotation = rotateNow();

    const [responses] = await Promise.all([Promise.all(calls), rotation]);
    const afterRotation = await chat();

    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
    expect(afterRotation.status).toBe(200);
  });

  it('submitted key becomes current after its test', async () => {
    const submitted = `sk-test-submitted-${randomBytes(16).toString('hex')}`;
    rememberKey(submitted, 'sk-test-submitted-');
    await stack.upstream.clearRequests();

    const response = requireStatus(
      await keyRoute('PUT', '/v1/platform/ai-key', { apiKey: submitted }),
      202,
      'submit key',
    );

    expect(response.body).toEqual({ versionId: expect.any(String) });
    expect((await readValue('AWSCURRENT')).apiKey).toBe(submitted);
    const tests = (await stack.upstream.listRequests()).filter(
      (request) => request.path === '/v1/models' && request.keySha256 === sha256(submitted),
    );
    expect(tests).toHaveLength(1);
    expect((await chat()).status).toBe(200);
  });

  it('invalid submitted key changes nothing', async () => {
    const invalid = `sk-invalid-${randomBytes(16).toString('hex')}`;
    rememberKey(invalid, 'sk-invalid-');
    const currentBefore = await versionWith('AWSCURRENT');

    requireStatus(
      await keyRoute('PUT', '/v1/platform/ai-key', { apiKey: invalid }),
      202,
      'submit invalid key',
    );

    expect(await versionWith('AWSCURRENT')).toBe(currentBefore);
    const pendingElsewhere = Object.values(await versionStages()).filter(
      (stages) => stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT'),
    );
    expect(pendingElsewhere).toEqual([]);
    const status = requireStatus(await keyRoute('GET', '/v1/platform/ai-key'), 200, 'status');
    expect(status.body.status).toBe('Active');
    expect(status.body.lastFailure).toEqual({
      at: expect.any(String),
      step: 'testSecret',
      message: expect.stringContaining('HTTP 401'),
    });
    expect((await chat()).status).toBe(200);
  });

  it('rotates again after a failure', async () => {
    const versionId = await rotateNow();

    expect((await versionStages())[versionId]).toContain('AWSCURRENT');
  });

  it('rejects a malformed key', async () => {
    const malformed = `pk-${randomBytes(16).toString('hex')}`;
    rememberKey(malformed, 'pk-');

    const response = await keyRoute('PUT', '/v1/platform/ai-key', { apiKey: malformed });

    expect(response.status).toBe(400);
    expect(response.body.error.details.fields).toEqual([
      { field: 'apiKey', message: expect.any(String) },
    ]);
  });

  it('revoke job revokes replaced minted keys', async () => {
    await rotateNow();
    const replaced = await readValue('AWSPREVIOUS');
    const current = await readValue('AWSCURRENT');
    expect(replaced.source).toBe('minted');
    expect(await upstreamStatusFor(replaced.apiKey as string)).toBe(200);

    const result = await stack.invoke('revoke-previous-platform-key');

    expect(result.functionError).toBeUndefined();
    expect(result.payload).toMatchObject({ failed: 0 });
    expect((result.payload as { revoked: number }).revoked).toBeGreaterThanOrEqual(1);
    expect(await upstreamStatusFor(replaced.apiKey as string)).toBe(401);
    expect(await upstreamStatusFor(current.apiKey as string)).toBe(200);
    const account = await adminRequest('GET', `/service_accounts/${replaced.serviceAccountId}`);
    expect(account.status).toBe(404);
    expect((await chat()).status).toBe(200);
  });

  it('revoke job does nothing twice', async () => {
    const result = await stack.invoke('revoke-previous-platform-key');

    expect(result.functionError).toBeUndefined();
    expect(result.payload).toEqual({ candidates: 0, revoked: 0, alreadyRevoked: 0, failed: 0 });
  });

  it('audit log records key actions', async () => {
    const rotations = await keyRoute('GET', '/v1/audit?action=key.rotate&limit=100');
    const updates = await keyRoute('GET', '/v1/audit?action=key.update&limit=100');

    const phases = (rotations.body.items as { details: { phase: string } }[]).map(
      (entry) => entry.details.phase,
    );
    expect(phases).toEqual(
      expect.arrayContaining(['requested', 'completed', 'failed', 'key-revoked']),
    );
    expect(updates.body.items).toHaveLength(2);
  });

  it('responses and logs contain no key', async () => {
    const logFiles = await readdir(stack.info.logDir);
    const logs = await Promise.all(
      logFiles.map((file) => readFile(join(stack.info.logDir, file), 'utf8')),
    );
    const texts = [...responseTexts, ...logs];
    expect(knownKeys.size).toBeGreaterThanOrEqual(6);

    for (const [key, prefix] of knownKeys) {
      for (let start = prefix.length; start + 8 <= key.length; start++) {
        const fragment = key.slice(start, start + 8);
        const leaks = texts.filter((text) => text.includes(fragment));
        expect(leaks, `a fragment of a key with prefix ${prefix}`).toEqual([]);
      }
    }
    for (const text of responseTexts) expect(text).not.toContain('arn:aws:secretsmanager');
  });
});
