import {
  GetSecretValueCommand,
  InvalidRequestException,
  RotateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import type { AwsStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FakeSecrets,
  FakeTable,
  FakeUpstream,
  installKeyFakes,
  PLATFORM_SECRET,
} from '../../test/platform-key-fakes';
import type { Actor } from '../audit/audit.model';
import {
  getPlatformKeyStatus,
  startPlatformKeyRotation,
  submitPlatformKey,
} from './platform-key.service';

const CURRENT_VERSION = '11111111-1111-4111-8111-111111111111';
const PENDING_VERSION = '22222222-2222-4222-8222-222222222222';
const SUBMITTED_KEY = 'sk-proj-submitted-eeeeeeeeeeeeeeeeeeee';
const actor: Actor = { userId: 'super-admin', email: 'root@example.test', requestId: 'req-1' };

let secrets: FakeSecrets;
let table: FakeTable;
// biome-ignore lint/suspicious/noExplicitAny: the two SDK stubs have unrelated client types.
let mocks: { secretsMock: AwsStub<any, any, any>; dynamoMock: AwsStub<any, any, any> };

beforeEach(() => {
  secrets = new FakeSecrets();
  table = new FakeTable();
  mocks = installKeyFakes({ secrets, table, upstream: new FakeUpstream() });
  secrets.addVersion(CURRENT_VERSION, { apiKey: 'sk-proj-current-ffffffffffffffffffff' }, [
    'AWSCURRENT',
  ]);
});

afterEach(() => {
  mocks.secretsMock.restore();
  mocks.dynamoMock.restore();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe('getPlatformKeyStatus', () => {
  it('reports an unrotated key', async () => {
    const status = await getPlatformKeyStatus();

    expect(status).toEqual({
      status: 'Active',
      source: 'platform',
      lastRotatedAt: null,
      nextRotationAt: '2027-01-03T00:00:00.000Z',
      rotationEnabled: true,
      lastFailure: null,
    });
  });

  it('never reads a key value', async () => {
    table.state = { currentVersionId: CURRENT_VERSION, lastRotatedAt: '2026-12-01T00:00:00.000Z' };

    const status = await getPlatformKeyStatus();

    expect(mocks.secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(JSON.stringify(status)).not.toContain('sk-');
  });

  it('reports the last rotation and failure', async () => {
    table.state = {
      currentVersionId: CURRENT_VERSION,
      lastRotatedAt: '2026-12-01T00:00:00.000Z',
      lastFailure: {
        at: '2026-12-02T00:00:00.000Z',
        step: 'testSecret',
        message: 'The AI provider rejected the key: GET /models returned HTTP 401',
        versionId: PENDING_VERSION,
      },
    };

    const status = await getPlatformKeyStatus();

    expect(status.lastRotatedAt).toBe('2026-12-01T00:00:00.000Z');
    expect(status.lastFailure).toEqual({
      at: '2026-12-02T00:00:00.000Z',
      step: 'testSecret',
      message: 'The AI provider rejected the key: GET /models returned HTTP 401',
    });
  });

  it('is inactive when the current key was revoked', async () => {
    table.accounts.push({
      sk: `PLATFORM_KEY_ACCOUNT#${CURRENT_VERSION}#svc_acct_1`,
      versionId: CURRENT_VERSION,
      revokedAt: '2026-12-02T00:00:00.000Z',
    });

    const status = await getPlatformKeyStatus();

    expect(status.status).toBe('Inactive');
  });

  it('hides the next rotation when rotation is off', async () => {
    secrets.isRotationEnabled = false;

    const status = await getPlatformKeyStatus();

    expect(status).toMatchObject({ rotationEnabled: false, nextRotationAt: null });
  });
});

describe('startPlatformKeyRotation', () => {
  it('starts a rotation and audits it', async () => {
    const started = await startPlatformKeyRotation({ actor });

    const [call] = mocks.secretsMock.commandCalls(RotateSecretCommand);
    expect(call?.args[0].input).toEqual({
      SecretId: PLATFORM_SECRET,
      ClientRequestToken: started.versionId,
    });
    expect(table.audits).toEqual([
      expect.objectContaining({
        action: 'key.rotate',
        actorId: 'super-admin',
        targetType: 'key',
        details: { phase: 'requested', versionId: started.versionId },
      }),
    ]);
  });

  it('rejects while a rotation runs', async () => {
    secrets.addVersion(PENDING_VERSION, undefined, ['AWSPENDING']);

    await expect(startPlatformKeyRotation({ actor })).rejects.toMatchObject({
      code: 'CONFLICT',
      status: 409,
    });
    expect(mocks.secretsMock.commandCalls(RotateSecretCommand)).toHaveLength(0);
  });

  it('maps a lost race to 409', async () => {
    mocks.secretsMock.on(RotateSecretCommand).callsFake(() => {
      secrets.addVersion(PENDING_VERSION, undefined, ['AWSPENDING']);
      throw new InvalidRequestException({
        message: "A previous rotation isn't complete.",
        $metadata: {},
      });
    });

    await expect(startPlatformKeyRotation({ actor })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(table.audits).toEqual([]);
  });

  it('rejects a secret without rotation', async () => {
    secrets.isRotationEnabled = false;

    await expect(startPlatformKeyRotation({ actor })).rejects.toThrow(/not configured/);
  });
});

describe('submitPlatformKey', () => {
  it('stores the key for its own rotation', async () => {
    const started = await submitPlatformKey({ actor, apiKey: SUBMITTED_KEY });

    const submissionVersion = secrets.versionWith('CREDITGATE_SUBMITTED') as string;
    expect(secrets.valueOf(submissionVersion)).toEqual({
      apiKey: SUBMITTED_KEY,
      rotationVersionId: started.versionId,
      submittedAt: expect.any(String),
    });
    expect(secrets.versionWith('AWSCURRENT')).toBe(CURRENT_VERSION);
    const [call] = mocks.secretsMock.commandCalls(RotateSecretCommand);
    expect(call?.args[0].input.ClientRequestToken).toBe(started.versionId);
  });

  it('audits without the key', async () => {
    const started = await submitPlatformKey({ actor, apiKey: SUBMITTED_KEY });

    expect(table.audits).toEqual([
      expect.objectContaining({
        action: 'key.update',
        details: { phase: 'requested', versionId: started.versionId, source: 'submitted' },
      }),
    ]);
    expect(JSON.stringify(table.audits)).not.toContain('eeeeeeee');
  });

  it('withdraws the submission when rotation fails', async () => {
    mocks.secretsMock
      .on(RotateSecretCommand)
      .rejects(new InvalidRequestException({ message: 'Rotation is not possible', $metadata: {} }));

    await expect(submitPlatformKey({ actor, apiKey: SUBMITTED_KEY })).rejects.toThrow(
      /not possible/,
    );

    expect(secrets.versionWith('CREDITGATE_SUBMITTED')).toBeUndefined();
    expect(table.audits).toEqual([]);
  });

  it('rejects while a rotation runs', async () => {
    secrets.addVersion(PENDING_VERSION, undefined, ['AWSPENDING']);

    await expect(submitPlatformKey({ actor, apiKey: SUBMITTED_KEY })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(secrets.versionWith('CREDITGATE_SUBMITTED')).toBeUndefined();
  });
});
