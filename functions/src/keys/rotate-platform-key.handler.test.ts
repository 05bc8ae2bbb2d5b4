import {
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../test/factories';
import {
  FakeSecrets,
  FakeTable,
  FakeUpstream,
  installKeyFakes,
  PLATFORM_ARN,
} from '../../test/platform-key-fakes';
import { logger } from '../lib/logger';
import { handler } from './rotate-platform-key.handler';

const OLD_VERSION = '11111111-1111-4111-8111-111111111111';
const TOKEN = '22222222-2222-4222-8222-222222222222';
const OLD_KEY = 'sk-proj-old-key-aaaaaaaaaaaaaaaaaaaa';

let secrets: FakeSecrets;
let table: FakeTable;
let upstream: FakeUpstream;
// biome-ignore lint/suspicious/noExplicitAny: the two SDK stubs have unrelated client types.
let mocks: { secretsMock: AwsStub<any, any, any>; dynamoMock: AwsStub<any, any, any> };

/** Starts a rotation as RotateSecret does: an empty AWSPENDING version named by the token. */
function startRotation(): void {
  secrets.addVersion(TOKEN, undefined, ['AWSPENDING']);
}

const runStep = (step: string, token = TOKEN) =>
  handler({ SecretId: PLATFORM_ARN, ClientRequestToken: token, Step: step }, lambdaContext());

/** Runs a step and returns how many writes it sent to Secrets Manager and DynamoDB. */
async function countWrites(step: string): Promise<number> {
  const before = writeCount();
  await runStep(step);
  return writeCount() - before;
}

function writeCount(): number {
  return (
    mocks.secretsMock.commandCalls(PutSecretValueCommand).length +
    mocks.secretsMock.commandCalls(UpdateSecretVersionStageCommand).length +
    mocks.dynamoMock.commandCalls(PutCommand).length +
    mocks.dynamoMock.commandCalls(TransactWriteCommand).length
  );
}

/** Stores a submission for the rotation `rotationVersionId` under the submission label. */
function submitKey(apiKey: string, rotationVersionId = TOKEN): string {
  const submissionVersionId = '33333333-3333-4333-8333-333333333333';
  secrets.addVersion(
    submissionVersionId,
    { apiKey, rotationVersionId, submittedAt: '2026-12-01T00:00:00.000Z' },
    ['CREDITGATE_SUBMITTED'],
  );
  return submissionVersionId;
}

beforeEach(() => {
  secrets = new FakeSecrets();
  table = new FakeTable();
  upstream = new FakeUpstream();
  mocks = installKeyFakes({ secrets, table, upstream });
  secrets.addVersion(OLD_VERSION, { apiKey: OLD_KEY }, ['AWSCURRENT']);
  // Failed steps log errors by design; the metric test reads them from this spy.
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  mocks.secretsMock.restore();
  mocks.dynamoMock.restore();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('createSecret', () => {
  it('mints a key into the pending version', async () => {
    startRotation();

    await runStep('createSecret');

    const pending = secrets.valueOf(TOKEN);
    expect(pending).toEqual({
      apiKey: expect.stringMatching(/^sk-svcacct-/),
      source: 'minted',
      serviceAccountId: 'svc_acct_1',
      keyId: 'key_1',
    });
    expect(secrets.stagesOf(TOKEN)).toEqual(['AWSPENDING']);
    expect(secrets.versionWith('AWSCURRENT')).toBe(OLD_VERSION);
    expect(table.accounts).toEqual([
      expect.objectContaining({
        versionId: TOKEN,
        projectId: 'proj_unit',
        serviceAccountId: 'svc_acct_1',
        keyId: 'key_1',
      }),
    ]);
    expect(table.accounts[0]).not.toHaveProperty('apiKey');
  });

  it('repeat changes nothing', async () => {
    startRotation();
    await runStep('createSecret');
    const pending = secrets.valueOf(TOKEN);

    const writes = await countWrites('createSecret');

    expect(writes).toBe(0);
    expect(secrets.valueOf(TOKEN)).toEqual(pending);
    expect(upstream.countCalls('POST', /service_accounts$/)).toBe(1);
  });

  it('copies the submitted key', async () => {
    startRotation();
    const submissionVersionId = submitKey('sk-proj-submitted-bbbbbbbbbbbbbbbbbbbb');

    await runStep('createSecret');

    expect(secrets.valueOf(TOKEN)).toEqual({
      apiKey: 'sk-proj-submitted-bbbbbbbbbbbbbbbbbbbb',
      source: 'submitted',
      submittedVersionId: submissionVersionId,
    });
    expect(secrets.stagesOf(submissionVersionId)).toEqual([]);
    expect(upstream.calls).toEqual([]);
  });

  it('repeat after a copy changes nothing', async () => {
    startRotation();
    submitKey('sk-proj-submitted-bbbbbbbbbbbbbbbbbbbb');
    await runStep('createSecret');

    const writes = await countWrites('createSecret');

    expect(writes).toBe(0);
  });

  it("ignores another rotation's submission", async () => {
    startRotation();
    const submissionVersionId = submitKey(
      'sk-proj-submitted-bbbbbbbbbbbbbbbbbbbb',
      '44444444-4444-4444-8444-444444444444',
    );

    await runStep('createSecret');

    expect(secrets.valueOf(TOKEN)?.source).toBe('minted');
    expect(secrets.stagesOf(submissionVersionId)).toEqual(['CREDITGATE_SUBMITTED']);
  });

  it('revokes an account whose key was never stored', async () => {
    startRotation();
    table.accounts.push({
      pk: 'PLATFORM',
      sk: `PLATFORM_KEY_ACCOUNT#${TOKEN}#svc_acct_orphan`,
      versionId: TOKEN,
      projectId: 'proj_unit',
      serviceAccountId: 'svc_acct_orphan',
      keyId: 'key_orphan',
      mintedAt: '2026-12-01T00:00:00.000Z',
    });

    await runStep('createSecret');

    expect(upstream.countCalls('DELETE', /service_accounts\/svc_acct_orphan$/)).toBe(1);
    expect(table.accounts[0]?.revokedAt).toEqual(expect.any(String));
    expect(secrets.valueOf(TOKEN)?.serviceAccountId).toBe('svc_acct_1');
  });

  it('fails without a project and abandons', async () => {
    vi.stubEnv('OPENAI_PROJECT_ID', '');
    startRotation();

    await expect(runStep('createSecret')).rejects.toThrow(/OPENAI_PROJECT_ID/);

    expect(secrets.stagesOf(TOKEN)).toEqual([]);
    expect(secrets.versionWith('AWSCURRENT')).toBe(OLD_VERSION);
    expect(table.state?.lastFailure).toMatchObject({ step: 'createSecret', versionId: TOKEN });
  });

  it('fails when the Admin API refuses', async () => {
    upstream.adminFailureStatus = 401;
    startRotation();

    await expect(runStep('createSecret')).rejects.toThrow(/HTTP 401/);

    expect(table.state?.lastFailure).toMatchObject({
      step: 'createSecret',
      message: expect.stringContaining('Admin API returned HTTP 401'),
    });
    expect(secrets.stagesOf(TOKEN)).toEqual([]);
  });
});

describe('setSecret', () => {
  it('changes nothing', async () => {
    startRotation();
    await runStep('createSecret');

    const writes = await countWrites('setSecret');

    expect(writes).toBe(0);
    expect(upstream.calls).toHaveLength(1);
  });
});

describe('testSecret', () => {
  it('passes a working key twice without writes', async () => {
    startRotation();
    await runStep('createSecret');

    const firstWrites = await countWrites('testSecret');
    const secondWrites = await countWrites('testSecret');

    expect(firstWrites + secondWrites).toBe(0);
    expect(upstream.countCalls('GET', /^\/models$/)).toBe(2);
  });

  it('failure leaves AWSCURRENT alone', async () => {
    startRotation();
    submitKey('sk-proj-invalid-cccccccccccccccccccc');
    await runStep('createSecret');

    await expect(runStep('testSecret')).rejects.toThrow(/rejected the key/);

    expect(secrets.versionWith('AWSCURRENT')).toBe(OLD_VERSION);
    expect(secrets.stagesOf(OLD_VERSION)).toEqual(['AWSCURRENT']);
    expect(secrets.stagesOf(TOKEN)).toEqual([]);
  });

  it('failure records the failure without the key', async () => {
    startRotation();
    submitKey('sk-proj-invalid-cccccccccccccccccccc');
    await runStep('createSecret');

    await runStep('testSecret').catch(() => undefined);

    const failure = table.state?.lastFailure as Record<string, string>;
    expect(failure).toEqual({
      at: expect.any(String),
      step: 'testSecret',
      message: 'The AI provider rejected the key: GET /models returned HTTP 401',
      versionId: TOKEN,
    });
    expect(JSON.stringify(table.audits)).not.toContain('cccccccc');
    expect(table.audits.at(-1)).toMatchObject({
      action: 'key.rotate',
      actorId: 'system',
      details: { phase: 'failed', step: 'testSecret', versionId: TOKEN },
    });
  });

  it('failure emits the RotationFailed metric', async () => {
    const errorLog = vi.mocked(logger.error);
    startRotation();
    submitKey('sk-proj-invalid-cccccccccccccccccccc');
    await runStep('createSecret');

    await runStep('testSecret').catch(() => undefined);

    const metricLines = errorLog.mock.calls
      .map(([, fields]) => fields as Record<string, unknown>)
      .filter((fields) => fields?._aws !== undefined);
    expect(metricLines).toHaveLength(1);
    expect(metricLines[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Creditgate',
            Dimensions: [['service']],
            Metrics: [{ Name: 'RotationFailed', Unit: 'Count' }],
          },
        ],
      },
      RotationFailed: 1,
      rotation_step: 'testSecret',
    });
    expect(JSON.stringify(errorLog.mock.calls)).not.toContain('cccccccc');
  });

  it('failure revokes the minted key', async () => {
    startRotation();
    await runStep('createSecret');
    const minted = secrets.valueOf(TOKEN)?.apiKey as string;
    upstream.revokedKeys.add(minted);

    await expect(runStep('testSecret')).rejects.toThrow(/HTTP 401/);

    expect(upstream.countCalls('DELETE', /service_accounts\/svc_acct_1$/)).toBe(1);
    expect(table.accounts[0]?.revokedAt).toEqual(expect.any(String));
  });

  it('skips a version without a key', async () => {
    startRotation();

    const writes = await countWrites('testSecret');

    expect(writes).toBe(0);
    expect(upstream.calls).toEqual([]);
    expect(secrets.stagesOf(TOKEN)).toEqual(['AWSPENDING']);
  });
});

describe('finishSecret', () => {
  async function prepareTestedVersion() {
    startRotation();
    await runStep('createSecret');
    await runStep('testSecret');
  }

  it('moves AWSCURRENT and keeps AWSPREVIOUS', async () => {
    await prepareTestedVersion();

    await runStep('finishSecret');

    expect(secrets.stagesOf(TOKEN)).toEqual(['AWSPENDING', 'AWSCURRENT']);
    expect(secrets.stagesOf(OLD_VERSION)).toEqual(['AWSPREVIOUS']);
  });

  it('records the rotation once', async () => {
    await prepareTestedVersion();

    await runStep('finishSecret');

    expect(table.state).toMatchObject({
      currentVersionId: TOKEN,
      lastRotatedAt: expect.any(String),
      lastRotationSource: 'minted',
    });
    const completed = table.audits.filter(
      (entry) => (entry.details as { phase: string }).phase === 'completed',
    );
    expect(completed).toEqual([
      expect.objectContaining({
        action: 'key.rotate',
        details: {
          phase: 'completed',
          versionId: TOKEN,
          source: 'minted',
          previousVersionId: OLD_VERSION,
        },
      }),
    ]);
  });

  it('repeat changes nothing', async () => {
    await prepareTestedVersion();
    await runStep('finishSecret');
    const stateAfterFirst = { ...table.state };

    const writes = await countWrites('finishSecret');

    expect(writes).toBe(0);
    expect(table.state).toEqual(stateAfterFirst);
    expect(secrets.stagesOf(OLD_VERSION)).toEqual(['AWSPREVIOUS']);
  });

  it('records a move that was not recorded', async () => {
    await prepareTestedVersion();
    await runStep('finishSecret');
    table.state = undefined;
    table.audits.length = 0;

    await runStep('finishSecret');

    expect(table.state).toMatchObject({ currentVersionId: TOKEN, lastRotationSource: 'minted' });
    expect(table.audits).toHaveLength(1);
  });

  it('refuses a version without a key', async () => {
    startRotation();

    await expect(runStep('finishSecret')).rejects.toThrow(/has no key/);

    expect(secrets.versionWith('AWSCURRENT')).toBe(OLD_VERSION);
    expect(table.state?.lastFailure).toMatchObject({ step: 'finishSecret' });
  });
});

describe('rotation checks', () => {
  it('rejects a version that is not pending', async () => {
    secrets.addVersion(TOKEN, { apiKey: 'sk-proj-other-dddddddddddddddddddd' }, ['CUSTOM']);

    await expect(runStep('createSecret')).rejects.toThrow(/not staged AWSPENDING/);

    expect(table.state).toBeUndefined();
  });

  it('rejects an unknown version', async () => {
    await expect(runStep('testSecret')).rejects.toThrow(/no staging label/);
  });

  it('rejects a secret without rotation', async () => {
    secrets.isRotationEnabled = false;
    startRotation();

    await expect(runStep('createSecret')).rejects.toThrow(/not enabled for rotation/);

    expect(upstream.calls).toEqual([]);
  });

  it('rejects an unknown step', async () => {
    startRotation();

    await expect(runStep('deleteSecret')).rejects.toThrow(/Step must be one of/);
  });

  it('does nothing for a current version', async () => {
    startRotation();
    await runStep('createSecret');
    await runStep('finishSecret');

    const writes = (await countWrites('createSecret')) + (await countWrites('testSecret'));

    expect(writes).toBe(0);
  });
});
