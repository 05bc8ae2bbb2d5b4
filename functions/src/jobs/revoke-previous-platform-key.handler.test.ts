import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../test/factories';
import {
  FakeSecrets,
  FakeTable,
  FakeUpstream,
  installKeyFakes,
} from '../../test/platform-key-fakes';
import { logger } from '../lib/logger';
import { JobFailedError } from './job-run';
import { handler } from './revoke-previous-platform-key.handler';

const PREVIOUS = '11111111-1111-4111-8111-111111111111';
const CURRENT = '22222222-2222-4222-8222-222222222222';
const PENDING = '33333333-3333-4333-8333-333333333333';
const ABANDONED = '44444444-4444-4444-8444-444444444444';
const ROTATED_AT = Date.parse('2026-12-01T10:00:00.000Z');

let secrets: FakeSecrets;
let table: FakeTable;
let upstream: FakeUpstream;
// biome-ignore lint/suspicious/noExplicitAny: the two SDK stubs have unrelated client types.
let mocks: { secretsMock: AwsStub<any, any, any>; dynamoMock: AwsStub<any, any, any> };

/** Records an account minted for `versionId` and registers its key with the fake upstream. */
function mintedAccount(versionId: string, serviceAccountId: string) {
  upstream.accounts.set(serviceAccountId, { key: `sk-svcacct-${serviceAccountId}` });
  table.accounts.push({
    pk: 'PLATFORM',
    sk: `PLATFORM_KEY_ACCOUNT#${versionId}#${serviceAccountId}`,
    versionId,
    projectId: 'proj_unit',
    serviceAccountId,
    keyId: `key_${serviceAccountId}`,
    mintedAt: '2026-11-01T00:00:00.000Z',
  });
}

const revokedAccounts = () =>
  table.accounts
    .filter((account) => account.revokedAt !== undefined)
    .map((a) => a.serviceAccountId);

/** Runs the job `minutesAfterRotation` minutes after the current version became current. */
function runJobAt(minutesAfterRotation: number) {
  vi.setSystemTime(ROTATED_AT + minutesAfterRotation * 60_000);
  return handler({}, lambdaContext());
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  secrets = new FakeSecrets();
  table = new FakeTable();
  upstream = new FakeUpstream();
  mocks = installKeyFakes({ secrets, table, upstream });
  vi.stubEnv('KEY_REVOKE_GRACE_MINUTES', '60');
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  secrets.addVersion(PREVIOUS, { apiKey: 'sk-svcacct-svc_old' }, ['AWSPREVIOUS']);
  secrets.addVersion(CURRENT, { apiKey: 'sk-svcacct-svc_new' }, ['AWSCURRENT']);
  table.state = { currentVersionId: CURRENT, lastRotatedAt: new Date(ROTATED_AT).toISOString() };
  mintedAccount(PREVIOUS, 'svc_old');
  mintedAccount(CURRENT, 'svc_new');
});

afterEach(() => {
  mocks.secretsMock.restore();
  mocks.dynamoMock.restore();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('revoke-previous-platform-key job', () => {
  it('waits for the grace period', async () => {
    const result = await runJobAt(59);

    expect(result).toEqual({
      candidates: 1,
      revoked: 0,
      alreadyRevoked: 0,
      failed: 0,
      graceEndsAt: '2026-12-01T11:00:00.000Z',
    });
    expect(upstream.calls).toEqual([]);
  });

  it('revokes the previous key after grace', async () => {
    const result = await runJobAt(60);

    expect(result).toMatchObject({ candidates: 1, revoked: 1, failed: 0 });
    expect(upstream.countCalls('DELETE', /service_accounts\/svc_old$/)).toBe(1);
    expect(revokedAccounts()).toEqual(['svc_old']);
    expect(table.audits).toEqual([
      expect.objectContaining({
        action: 'key.rotate',
        actorId: 'system',
        details: {
          phase: 'key-revoked',
          reason: 'replaced',
          versionId: PREVIOUS,
          serviceAccountId: 'svc_old',
        },
      }),
    ]);
  });

  it('never reads the platform key', async () => {
    await runJobAt(60);

    const reads = mocks.secretsMock
      .commandCalls(GetSecretValueCommand)
      .map((call) => call.args[0].input.SecretId);
    expect(reads).toEqual(['creditgate/platform/openai-admin']);
  });

  it('does not revoke twice', async () => {
    await runJobAt(60);

    const result = await runJobAt(75);

    expect(result).toEqual({ candidates: 0, revoked: 0, alreadyRevoked: 0, failed: 0 });
    expect(upstream.countCalls('DELETE', /service_accounts/)).toBe(1);
  });

  it('leaves current and pending keys', async () => {
    secrets.addVersion(PENDING, undefined, ['AWSPENDING']);
    mintedAccount(PENDING, 'svc_pending');

    await runJobAt(120);

    expect(revokedAccounts()).toEqual(['svc_old']);
  });

  it('revokes keys of abandoned versions', async () => {
    secrets.addVersion(ABANDONED, undefined, []);
    mintedAccount(ABANDONED, 'svc_abandoned');

    const result = await runJobAt(60);

    expect(result.revoked).toBe(2);
    expect(revokedAccounts().sort()).toEqual(['svc_abandoned', 'svc_old']);
  });

  it('counts a deleted account as revoked', async () => {
    upstream.accounts.delete('svc_old');

    const result = await runJobAt(60);

    expect(result).toMatchObject({ revoked: 1, failed: 0 });
    expect(revokedAccounts()).toEqual(['svc_old']);
  });

  it('times grace from the version without a record', async () => {
    table.state = undefined;
    secrets.versions.clear();
    secrets.addVersion(PREVIOUS, { apiKey: 'sk-svcacct-svc_old' }, ['AWSPREVIOUS']);
    secrets.addVersion(CURRENT, { apiKey: 'sk-manual-key' }, ['AWSCURRENT'], new Date(ROTATED_AT));

    const early = await runJobAt(30);
    const late = await runJobAt(61);

    expect(early.revoked).toBe(0);
    expect(late.revoked).toBe(1);
  });

  it('fails the run when upstream refuses', async () => {
    upstream.adminFailureStatus = 500;

    await expect(runJobAt(60)).rejects.toBeInstanceOf(JobFailedError);

    expect(revokedAccounts()).toEqual([]);
    expect(table.state?.lastFailure).toMatchObject({
      step: 'revokePreviousKey',
      message: expect.stringContaining('HTTP 500'),
    });
  });
});
