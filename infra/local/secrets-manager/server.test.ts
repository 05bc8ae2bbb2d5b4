import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type SecretsManagerLogEntry,
  type SecretsManagerServer,
  type SecretsManagerServerOptions,
  startSecretsManager,
} from './server.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const TOKEN_1 = '11111111-1111-4111-8111-111111111111';
const TOKEN_2 = '22222222-2222-4222-8222-222222222222';
const TOKEN_3 = '33333333-3333-4333-8333-333333333333';
const ROTATION_TOKEN = '44444444-4444-4444-8444-444444444444';
const LAMBDA_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:creditgate-rotate-ai-key';
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Test helpers
// ---------------------------------------------------------------------------------------------

interface Harness {
  server: SecretsManagerServer;
  client: SecretsManagerClient;
  logs: SecretsManagerLogEntry[];
}

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

function createClient(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

async function startHarness(options: SecretsManagerServerOptions = {}): Promise<Harness> {
  const logs: SecretsManagerLogEntry[] = [];
  const server = await startSecretsManager({
    logger: (entry) => logs.push(entry),
    ...options,
  });
  const client = createClient(server.url);
  cleanups.push(async () => {
    client.destroy();
    await server.close();
  });
  return { server, client, logs };
}

function createTemporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'creditgate-secrets-manager-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** Returns the error that the promise rejects with, and fails the test if it resolves. */
async function captureError(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail, but it succeeded');
}

async function getStages(client: SecretsManagerClient, secretId: string) {
  const described = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  return described.VersionIdsToStages ?? {};
}

interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: string;
}

interface LambdaReply {
  status?: number;
  functionError?: string;
  payload?: unknown;
}

interface LambdaStub {
  url: string;
  invocations: Array<{ functionName: string; event: RotationEvent }>;
}

/**
 * Starts a loopback stand-in for the Lambda Invoke API. A handler that throws becomes a
 * function error, which Lambda reports as HTTP 200 with an x-amz-function-error header.
 */
async function startLambdaStub(
  handle: (event: RotationEvent) => Promise<LambdaReply | undefined>,
): Promise<LambdaStub> {
  const invocations: LambdaStub['invocations'] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RotationEvent;
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.url ?? '');
    invocations.push({ functionName: decodeURIComponent(match?.[1] ?? ''), event });

    let reply: LambdaReply;
    try {
      reply = (await handle(event)) ?? {};
    } catch (error) {
      const { name, message } = error as Error;
      reply = { functionError: 'Unhandled', payload: { errorType: name, errorMessage: message } };
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (reply.functionError !== undefined) {
      headers['x-amz-function-error'] = reply.functionError;
    }
    response.writeHead(reply.status ?? 200, headers);
    response.end(JSON.stringify(reply.payload ?? null));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections();
    await closed;
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, invocations };
}

interface TemplateRotationOptions {
  newValue: string;
  failingStep?: string;
  /** Error names seen when createSecret reads the AWSPENDING version before storing it. */
  pendingReadErrors: string[];
}

/**
 * Builds a rotation Lambda that follows the AWS rotation function template. It checks the
 * token's stages first, stores the new value as AWSPENDING in createSecret and moves AWSCURRENT
 * in finishSecret.
 */
function createTemplateRotation(
  getClient: () => SecretsManagerClient,
  options: TemplateRotationOptions,
) {
  return async (event: RotationEvent): Promise<undefined> => {
    const client = getClient();
    const { SecretId: arn, ClientRequestToken: token, Step: step } = event;
    const metadata = await client.send(new DescribeSecretCommand({ SecretId: arn }));
    if (!metadata.RotationEnabled) {
      throw new Error(`secret ${arn} is not enabled for rotation`);
    }
    const stages = metadata.VersionIdsToStages?.[token];
    if (stages === undefined) {
      throw new Error(`version ${token} has no stage for rotation`);
    }
    if (stages.includes('AWSCURRENT')) {
      return undefined;
    }
    if (!stages.includes('AWSPENDING')) {
      throw new Error(`version ${token} is not AWSPENDING`);
    }
    if (step === options.failingStep) {
      throw new Error(`${step} failed on purpose`);
    }

    if (step === 'createSecret') {
      await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSCURRENT' }));
      try {
        await client.send(
          new GetSecretValueCommand({
            SecretId: arn,
            VersionId: token,
            VersionStage: 'AWSPENDING',
          }),
        );
      } catch (error) {
        options.pendingReadErrors.push((error as Error).name);
        await client.send(
          new PutSecretValueCommand({
            SecretId: arn,
            ClientRequestToken: token,
            SecretString: options.newValue,
            VersionStages: ['AWSPENDING'],
          }),
        );
      }
    } else if (step === 'testSecret') {
      await client.send(
        new GetSecretValueCommand({ SecretId: arn, VersionId: token, VersionStage: 'AWSPENDING' }),
      );
    } else if (step === 'finishSecret') {
      const current = Object.entries(metadata.VersionIdsToStages ?? {}).find(([, labels]) =>
        labels.includes('AWSCURRENT'),
      )?.[0];
      await client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: arn,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          RemoveFromVersionId: current,
        }),
      );
    }
    return undefined;
  };
}

interface RotationHarness extends Harness {
  lambda: LambdaStub;
  pendingReadErrors: string[];
  arn: string;
  oldVersionId: string;
}

async function startRotationHarness(
  options: { failingStep?: string; reply?: (event: RotationEvent) => LambdaReply | undefined } = {},
): Promise<RotationHarness> {
  const pendingReadErrors: string[] = [];
  let client: SecretsManagerClient | undefined;
  const rotate = createTemplateRotation(
    () => {
      if (client === undefined) throw new Error('client not ready');
      return client;
    },
    { newValue: '{"apiKey":"sk-new"}', failingStep: options.failingStep, pendingReadErrors },
  );
  const lambda = await startLambdaStub(async (event) => {
    const reply = options.reply?.(event);
    if (reply !== undefined) {
      return reply;
    }
    return rotate(event);
  });
  const harness = await startHarness({ lambdaEndpoint: lambda.url });
  client = harness.client;
  const created = await harness.client.send(
    new CreateSecretCommand({
      Name: 'creditgate/platform/openai',
      SecretString: '{"apiKey":"sk-old"}',
      ClientRequestToken: TOKEN_1,
    }),
  );
  return {
    ...harness,
    lambda,
    pendingReadErrors,
    arn: created.ARN ?? '',
    oldVersionId: TOKEN_1,
  };
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('createSecret', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });

  it('createSecret attaches AWSCURRENT to first version', async () => {
    const { client } = harness;

    const created = await client.send(
      new CreateSecretCommand({
        Name: 'creditgate/tenants/t1/openai',
        SecretString: '{"apiKey":"sk-tenant"}',
        ClientRequestToken: TOKEN_1,
        Description: 'Tenant key',
        KmsKeyId: 'alias/creditgate-secrets',
      }),
    );
    const value = await client.send(
      new GetSecretValueCommand({ SecretId: 'creditgate/tenants/t1/openai' }),
    );

    expect(created.Name).toBe('creditgate/tenants/t1/openai');
    expect(created.VersionId).toBe(TOKEN_1);
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:creditgate\/tenants\/t1\/openai-[A-Za-z0-9]{6}$/,
    );
    expect(value.ARN).toBe(created.ARN);
    expect(value.SecretString).toBe('{"apiKey":"sk-tenant"}');
    expect(value.VersionId).toBe(TOKEN_1);
    expect(value.VersionStages).toEqual(['AWSCURRENT']);
    expect(value.CreatedDate).toBeInstanceOf(Date);
    expect(Math.abs((value.CreatedDate?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('createSecret generates a version id without token', async () => {
    const created = await harness.client.send(
      new CreateSecretCommand({ Name: 'no-token', SecretString: 'v1' }),
    );

    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('createSecret without value creates no version', async () => {
    const { client } = harness;

    const created = await client.send(new CreateSecretCommand({ Name: 'empty' }));
    const error = await captureError(client.send(new GetSecretValueCommand({ SecretId: 'empty' })));
    const stages = await getStages(client, 'empty');

    expect(created.VersionId).toBeUndefined();
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(stages).toEqual({});
  });

  it('createSecret returns existing version for retried token', async () => {
    const { client } = harness;
    const input = { Name: 'retried', SecretString: 'v1', ClientRequestToken: TOKEN_1 };

    const first = await client.send(new CreateSecretCommand(input));
    const second = await client.send(new CreateSecretCommand(input));

    expect(second).toMatchObject({ ARN: first.ARN, Name: 'retried', VersionId: TOKEN_1 });
  });

  it('createSecret rejects taken name', async () => {
    const { client } = harness;
    await client.send(new CreateSecretCommand({ Name: 'taken', SecretString: 'v1' }));

    const error = await captureError(
      client.send(new CreateSecretCommand({ Name: 'taken', SecretString: 'v2' })),
    );

    expect(error).toBeInstanceOf(ResourceExistsException);
    expect(error.message).toContain('taken');
  });

  it('createSecret rejects retried token with new value', async () => {
    const { client } = harness;
    await client.send(
      new CreateSecretCommand({ Name: 'retried', SecretString: 'v1', ClientRequestToken: TOKEN_1 }),
    );

    const error = await captureError(
      client.send(
        new CreateSecretCommand({
          Name: 'retried',
          SecretString: 'v2',
          ClientRequestToken: TOKEN_1,
        }),
      ),
    );

    expect(error).toBeInstanceOf(ResourceExistsException);
  });

  it('getSecretValue finds secret by ARN and partial ARN', async () => {
    const { client } = harness;
    const created = await client.send(
      new CreateSecretCommand({ Name: 'by-arn', SecretString: 'v1' }),
    );
    const arn = created.ARN ?? '';

    const byArn = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const byPartialArn = await client.send(
      new GetSecretValueCommand({ SecretId: arn.slice(0, -7) }),
    );

    expect(byArn.SecretString).toBe('v1');
    expect(byPartialArn.SecretString).toBe('v1');
  });

  it('secretBinary round-trips bytes', async () => {
    const { client } = harness;
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);

    await client.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));
    const value = await client.send(new GetSecretValueCommand({ SecretId: 'binary' }));

    expect(value.SecretString).toBeUndefined();
    expect(Array.from(value.SecretBinary ?? [])).toEqual(Array.from(bytes));
  });
});

describe('version stages', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
    await harness.client.send(
      new CreateSecretCommand({ Name: 'staged', SecretString: 'v1', ClientRequestToken: TOKEN_1 }),
    );
  });

  it('putSecretValue moves AWSCURRENT and sets AWSPREVIOUS', async () => {
    const { client } = harness;

    const put = await client.send(
      new PutSecretValueCommand({
        SecretId: 'staged',
        SecretString: 'v2',
        ClientRequestToken: TOKEN_2,
      }),
    );
    const current = await client.send(new GetSecretValueCommand({ SecretId: 'staged' }));
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: 'staged', VersionStage: 'AWSPREVIOUS' }),
    );

    expect(put.VersionId).toBe(TOKEN_2);
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect(current.SecretString).toBe('v2');
    expect(previous.SecretString).toBe('v1');
    expect(await getStages(client, 'staged')).toEqual({
      [TOKEN_1]: ['AWSPREVIOUS'],
      [TOKEN_2]: ['AWSCURRENT'],
    });
  });

  it('putSecretValue with AWSPENDING moves only AWSPENDING', async () => {
    const { client } = harness;

    const put = await client.send(
      new PutSecretValueCommand({
        SecretId: 'staged',
        SecretString: 'v2',
        ClientRequestToken: TOKEN_2,
        VersionStages: ['AWSPENDING'],
      }),
    );
    const current = await client.send(new GetSecretValueCommand({ SecretId: 'staged' }));
    const pending = await client.send(
      new GetSecretValueCommand({ SecretId: 'staged', VersionStage: 'AWSPENDING' }),
    );

    expect(put.VersionStages).toEqual(['AWSPENDING']);
    expect(current.SecretString).toBe('v1');
    expect(pending.SecretString).toBe('v2');
    expect(await getStages(client, 'staged')).toEqual({
      [TOKEN_1]: ['AWSCURRENT'],
      [TOKEN_2]: ['AWSPENDING'],
    });
  });

  it('second AWSPENDING put takes the label away', async () => {
    const { client } = harness;
    for (const [token, value] of [
      [TOKEN_2, 'v2'],
      [TOKEN_3, 'v3'],
    ] as const) {
      await client.send(
        new PutSecretValueCommand({
          SecretId: 'staged',
          SecretString: value,
          ClientRequestToken: token,
          VersionStages: ['AWSPENDING'],
        }),
      );
    }

    const stages = await getStages(client, 'staged');

    expect(stages).toEqual({ [TOKEN_1]: ['AWSCURRENT'], [TOKEN_3]: ['AWSPENDING'] });
  });

  it('updateSecretVersionStage promotes pending version', async () => {
    const { client } = harness;
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'staged',
        SecretString: 'v2',
        ClientRequestToken: TOKEN_2,
        VersionStages: ['AWSPENDING'],
      }),
    );

    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'staged',
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: TOKEN_2,
        RemoveFromVersionId: TOKEN_1,
      }),
    );
    const current = await client.send(new GetSecretValueCommand({ SecretId: 'staged' }));

    expect(current.SecretString).toBe('v2');
    expect(current.VersionStages).toEqual(['AWSPENDING', 'AWSCURRENT']);
    expect(await getStages(client, 'staged')).toEqual({
      [TOKEN_1]: ['AWSPREVIOUS'],
      [TOKEN_2]: ['AWSPENDING', 'AWSCURRENT'],
    });
  });

  it('moving AWSCURRENT twice leaves one AWSPREVIOUS', async () => {
    const { client } = harness;
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'staged',
        SecretString: 'v2',
        ClientRequestToken: TOKEN_2,
      }),
    );
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'staged',
        SecretString: 'v3',
        ClientRequestToken: TOKEN_3,
      }),
    );

    const stages = await getStages(client, 'staged');

    expect(stages).toEqual({ [TOKEN_2]: ['AWSPREVIOUS'], [TOKEN_3]: ['AWSCURRENT'] });
  });

  it('updateSecretVersionStage requires RemoveFromVersionId', async () => {
    const { client } = harness;
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'staged',
        SecretString: 'v2',
        ClientRequestToken: TOKEN_2,
        VersionStages: ['AWSPENDING'],
      }),
    );

    const error = await captureError(
      client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: 'staged',
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: TOKEN_2,
        }),
      ),
    );

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toContain(TOKEN_1);
    expect(await getStages(client, 'staged')).toEqual({
      [TOKEN_1]: ['AWSCURRENT'],
      [TOKEN_2]: ['AWSPENDING'],
    });
  });

  it('updateSecretVersionStage rejects wrong RemoveFromVersionId', async () => {
    const { client } = harness;
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'staged',
        SecretString: 'v2',
        ClientRequestToken: TOKEN_2,
        VersionStages: ['AWSPENDING'],
      }),
    );

    const error = await captureError(
      client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: 'staged',
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: TOKEN_2,
          RemoveFromVersionId: TOKEN_2,
        }),
      ),
    );

    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('updateSecretVersionStage removes a label', async () => {
    const { client } = harness;
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'staged',
        SecretString: 'v2',
        ClientRequestToken: TOKEN_2,
        VersionStages: ['AWSPENDING'],
      }),
    );

    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'staged',
        VersionStage: 'AWSPENDING',
        RemoveFromVersionId: TOKEN_2,
      }),
    );

    expect(await getStages(client, 'staged')).toEqual({ [TOKEN_1]: ['AWSCURRENT'] });
  });

  it('updateSecretVersionStage rejects detaching AWSCURRENT', async () => {
    const error = await captureError(
      harness.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: 'staged',
          VersionStage: 'AWSCURRENT',
          RemoveFromVersionId: TOKEN_1,
        }),
      ),
    );

    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('updateSecretVersionStage rejects unknown version', async () => {
    const error = await captureError(
      harness.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: 'staged',
          VersionStage: 'CUSTOM',
          MoveToVersionId: TOKEN_3,
        }),
      ),
    );

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toContain(TOKEN_3);
  });
});

describe('idempotent tokens', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
    await harness.client.send(
      new CreateSecretCommand({ Name: 'tokens', SecretString: 'v1', ClientRequestToken: TOKEN_1 }),
    );
  });

  it('putSecretValue ignores repeated token and value', async () => {
    const { client } = harness;
    const input = { SecretId: 'tokens', SecretString: 'v2', ClientRequestToken: TOKEN_2 };
    await client.send(new PutSecretValueCommand(input));
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'tokens',
        SecretString: 'v3',
        ClientRequestToken: TOKEN_3,
      }),
    );

    const repeated = await client.send(new PutSecretValueCommand(input));
    const versions = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: 'tokens', IncludeDeprecated: true }),
    );
    const current = await client.send(new GetSecretValueCommand({ SecretId: 'tokens' }));

    expect(repeated.VersionId).toBe(TOKEN_2);
    // A retry moves no labels, so TOKEN_2 keeps the AWSPREVIOUS label it has now.
    expect(repeated.VersionStages).toEqual(['AWSPREVIOUS']);
    expect(versions.Versions?.map((version) => version.VersionId)).toEqual([
      TOKEN_1,
      TOKEN_2,
      TOKEN_3,
    ]);
    expect(current.SecretString).toBe('v3');
  });

  it('putSecretValue rejects repeated token with new value', async () => {
    const { client } = harness;
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'tokens',
        SecretString: 'v2',
        ClientRequestToken: TOKEN_2,
      }),
    );

    const error = await captureError(
      client.send(
        new PutSecretValueCommand({
          SecretId: 'tokens',
          SecretString: 'changed',
          ClientRequestToken: TOKEN_2,
        }),
      ),
    );
    const current = await client.send(new GetSecretValueCommand({ SecretId: 'tokens' }));

    expect(error).toBeInstanceOf(ResourceExistsException);
    expect(current.SecretString).toBe('v2');
  });
});

describe('errors', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
    await harness.client.send(
      new CreateSecretCommand({ Name: 'known', SecretString: 'v1', ClientRequestToken: TOKEN_1 }),
    );
  });

  const cases: Array<{
    name: string;
    send: (client: SecretsManagerClient) => Promise<unknown>;
    errorClass: new (...args: never[]) => SecretsManagerServiceException;
    errorName: string;
  }> = [
    {
      name: 'unknown secret',
      send: (client) => client.send(new GetSecretValueCommand({ SecretId: 'missing' })),
      errorClass: ResourceNotFoundException,
      errorName: 'ResourceNotFoundException',
    },
    {
      name: 'unknown version id',
      send: (client) =>
        client.send(new GetSecretValueCommand({ SecretId: 'known', VersionId: TOKEN_2 })),
      errorClass: ResourceNotFoundException,
      errorName: 'ResourceNotFoundException',
    },
    {
      name: 'unknown stage',
      send: (client) =>
        client.send(new GetSecretValueCommand({ SecretId: 'known', VersionStage: 'AWSPENDING' })),
      errorClass: ResourceNotFoundException,
      errorName: 'ResourceNotFoundException',
    },
    {
      name: 'stage not on version',
      send: (client) =>
        client.send(
          new GetSecretValueCommand({
            SecretId: 'known',
            VersionId: TOKEN_1,
            VersionStage: 'AWSPREVIOUS',
          }),
        ),
      errorClass: InvalidRequestException,
      errorName: 'InvalidRequestException',
    },
    {
      name: 'string and binary together',
      send: (client) =>
        client.send(
          new PutSecretValueCommand({
            SecretId: 'known',
            SecretString: 'v2',
            SecretBinary: new Uint8Array([1]),
          }),
        ),
      errorClass: InvalidParameterException,
      errorName: 'InvalidParameterException',
    },
    {
      name: 'put without value',
      send: (client) => client.send(new PutSecretValueCommand({ SecretId: 'known' })),
      errorClass: InvalidParameterException,
      errorName: 'InvalidParameterException',
    },
    {
      name: 'invalid secret name',
      send: (client) =>
        client.send(new CreateSecretCommand({ Name: 'bad name!', SecretString: 'v1' })),
      errorClass: InvalidParameterException,
      errorName: 'InvalidParameterException',
    },
    {
      name: 'short client request token',
      send: (client) =>
        client.send(
          new PutSecretValueCommand({
            SecretId: 'known',
            SecretString: 'v2',
            ClientRequestToken: 'too-short',
          }),
        ),
      errorClass: SecretsManagerServiceException,
      errorName: 'ValidationException',
    },
    {
      name: 'missing secret id',
      send: (client) =>
        client.send(new GetSecretValueCommand({ SecretId: undefined as unknown as string })),
      errorClass: SecretsManagerServiceException,
      errorName: 'ValidationException',
    },
    {
      name: 'recovery window out of range',
      send: (client) =>
        client.send(new DeleteSecretCommand({ SecretId: 'known', RecoveryWindowInDays: 3 })),
      errorClass: InvalidParameterException,
      errorName: 'InvalidParameterException',
    },
    {
      name: 'recovery window with force',
      send: (client) =>
        client.send(
          new DeleteSecretCommand({
            SecretId: 'known',
            RecoveryWindowInDays: 7,
            ForceDeleteWithoutRecovery: true,
          }),
        ),
      errorClass: InvalidParameterException,
      errorName: 'InvalidParameterException',
    },
    {
      name: 'page size above 100',
      send: (client) => client.send(new ListSecretsCommand({ MaxResults: 101 })),
      errorClass: SecretsManagerServiceException,
      errorName: 'ValidationException',
    },
    {
      name: 'malformed next token',
      send: (client) => client.send(new ListSecretsCommand({ NextToken: 'not-a-token' })),
      errorClass: SecretsManagerServiceException,
      errorName: 'InvalidNextTokenException',
    },
  ];

  it.each(cases)('$name raises $errorName', async ({ send, errorClass, errorName }) => {
    const error = await captureError(send(harness.client));

    expect(error).toBeInstanceOf(errorClass);
    expect(error.name).toBe(errorName);
    expect((error as SecretsManagerServiceException).$metadata.httpStatusCode).toBe(400);
  });

  it('unknown target returns UnknownOperationException', async () => {
    const response = await fetch(harness.server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetRandomPassword',
      },
      body: '{}',
    });
    const body = (await response.json()) as { __type: string; message: string };

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(body.__type).toBe('UnknownOperationException');
    expect(body.message).toContain('secretsmanager.GetSecretValue');
  });

  it('malformed JSON returns SerializationException', async () => {
    const response = await fetch(harness.server.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: '{"SecretId":',
    });
    const body = (await response.json()) as { __type: string };

    expect(response.status).toBe(400);
    expect(body.__type).toBe('SerializationException');
  });

  it('oversized body returns 413', async () => {
    const response = await fetch(harness.server.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'secretsmanager.CreateSecret' },
      body: JSON.stringify({ Name: 'big', SecretString: 'x'.repeat(2 * 1024 * 1024) }),
    });
    const body = (await response.json()) as { __type: string };

    expect(response.status).toBe(413);
    expect(body.__type).toBe('ValidationException');
  });

  it('GET request returns 404', async () => {
    const response = await fetch(harness.server.url);

    expect(response.status).toBe(404);
  });
});

describe('deleteSecret', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
    await harness.client.send(
      new CreateSecretCommand({ Name: 'doomed', SecretString: 'v1', ClientRequestToken: TOKEN_1 }),
    );
  });

  it('deleteSecret schedules deletion and blocks reads', async () => {
    const { client } = harness;

    const deleted = await client.send(
      new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }),
    );
    const readError = await captureError(
      client.send(new GetSecretValueCommand({ SecretId: 'doomed' })),
    );
    const putError = await captureError(
      client.send(new PutSecretValueCommand({ SecretId: 'doomed', SecretString: 'v2' })),
    );
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'doomed' }));
    const listed = await client.send(new ListSecretsCommand({}));
    const listedWithDeleted = await client.send(
      new ListSecretsCommand({ IncludePlannedDeletion: true }),
    );
    const recreateError = await captureError(
      client.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'v9' })),
    );

    const windowMs = (deleted.DeletionDate?.getTime() ?? 0) - Date.now();
    expect(windowMs).toBeGreaterThan(7 * DAY_MS - 60_000);
    expect(windowMs).toBeLessThanOrEqual(7 * DAY_MS);
    expect(readError).toBeInstanceOf(InvalidRequestException);
    expect(putError).toBeInstanceOf(InvalidRequestException);
    expect(described.DeletedDate).toBeInstanceOf(Date);
    expect(listed.SecretList).toEqual([]);
    expect(listedWithDeleted.SecretList?.map((secret) => secret.Name)).toEqual(['doomed']);
    expect(recreateError).toBeInstanceOf(InvalidRequestException);
  });

  it('deleteSecret rejects second scheduled delete', async () => {
    const { client } = harness;
    await client.send(new DeleteSecretCommand({ SecretId: 'doomed' }));

    const error = await captureError(client.send(new DeleteSecretCommand({ SecretId: 'doomed' })));

    expect(error).toBeInstanceOf(InvalidRequestException);
  });

  it('restoreSecret makes secret readable again', async () => {
    const { client } = harness;
    await client.send(new DeleteSecretCommand({ SecretId: 'doomed' }));

    await client.send(new RestoreSecretCommand({ SecretId: 'doomed' }));
    const value = await client.send(new GetSecretValueCommand({ SecretId: 'doomed' }));
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'doomed' }));

    expect(value.SecretString).toBe('v1');
    expect(described.DeletedDate).toBeUndefined();
  });

  it('deleteSecret with force removes secret at once', async () => {
    const { client } = harness;

    await client.send(
      new DeleteSecretCommand({ SecretId: 'doomed', ForceDeleteWithoutRecovery: true }),
    );
    const error = await captureError(
      client.send(new DescribeSecretCommand({ SecretId: 'doomed' })),
    );
    const recreated = await client.send(
      new CreateSecretCommand({ Name: 'doomed', SecretString: 'v2' }),
    );

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(recreated.Name).toBe('doomed');
  });

  it('deleteSecret with force accepts missing secret', async () => {
    const deleted = await harness.client.send(
      new DeleteSecretCommand({ SecretId: 'never-existed', ForceDeleteWithoutRecovery: true }),
    );

    expect(deleted.Name).toBe('never-existed');
  });

  it('deleteSecret rejects missing secret without force', async () => {
    const error = await captureError(
      harness.client.send(new DeleteSecretCommand({ SecretId: 'never-existed' })),
    );

    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('tags', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
    await harness.client.send(
      new CreateSecretCommand({
        Name: 'creditgate/tenants/t1/openai',
        SecretString: 'v1',
        Tags: [
          { Key: 'tenantId', Value: 't1' },
          { Key: 'purpose', Value: 'openai' },
        ],
      }),
    );
    await harness.client.send(
      new CreateSecretCommand({ Name: 'creditgate/platform/openai', SecretString: 'v1' }),
    );
  });

  it('tagResource adds and overwrites tags', async () => {
    const { client } = harness;

    await client.send(
      new TagResourceCommand({
        SecretId: 'creditgate/tenants/t1/openai',
        Tags: [
          { Key: 'purpose', Value: 'ai-proxy' },
          { Key: 'Purpose', Value: 'case-sensitive' },
        ],
      }),
    );
    const described = await client.send(
      new DescribeSecretCommand({ SecretId: 'creditgate/tenants/t1/openai' }),
    );

    expect(described.Tags).toEqual([
      { Key: 'tenantId', Value: 't1' },
      { Key: 'purpose', Value: 'ai-proxy' },
      { Key: 'Purpose', Value: 'case-sensitive' },
    ]);
  });

  it('untagResource removes keys', async () => {
    const { client } = harness;

    await client.send(
      new UntagResourceCommand({
        SecretId: 'creditgate/tenants/t1/openai',
        TagKeys: ['purpose', 'absent'],
      }),
    );
    const described = await client.send(
      new DescribeSecretCommand({ SecretId: 'creditgate/tenants/t1/openai' }),
    );

    expect(described.Tags).toEqual([{ Key: 'tenantId', Value: 't1' }]);
  });

  it('tagResource rejects missing secret', async () => {
    const error = await captureError(
      harness.client.send(
        new TagResourceCommand({ SecretId: 'missing', Tags: [{ Key: 'a', Value: 'b' }] }),
      ),
    );

    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('listSecrets filters by tag key and value', async () => {
    const { client } = harness;

    const byKey = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: 'tag-key', Values: ['tenant'] }] }),
    );
    const byValue = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: 'tag-value', Values: ['t2'] }] }),
    );

    expect(byKey.SecretList?.map((secret) => secret.Name)).toEqual([
      'creditgate/tenants/t1/openai',
    ]);
    expect(byKey.SecretList?.[0]?.Tags).toHaveLength(2);
    expect(byValue.SecretList).toEqual([]);
  });
});

describe('listing', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });

  it('listSecretVersionIds hides deprecated versions by default', async () => {
    const { client } = harness;
    await client.send(
      new CreateSecretCommand({
        Name: 'versions',
        SecretString: 'v1',
        ClientRequestToken: TOKEN_1,
      }),
    );
    for (const [token, value] of [
      [TOKEN_2, 'v2'],
      [TOKEN_3, 'v3'],
    ] as const) {
      await client.send(
        new PutSecretValueCommand({
          SecretId: 'versions',
          SecretString: value,
          ClientRequestToken: token,
        }),
      );
    }

    const labelled = await client.send(new ListSecretVersionIdsCommand({ SecretId: 'versions' }));
    const all = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: 'versions', IncludeDeprecated: true }),
    );
    const deprecated = await client.send(
      new GetSecretValueCommand({ SecretId: 'versions', VersionId: TOKEN_1 }),
    );

    expect(labelled.Name).toBe('versions');
    expect(
      labelled.Versions?.map(({ VersionId, VersionStages }) => [VersionId, VersionStages]),
    ).toEqual([
      [TOKEN_2, ['AWSPREVIOUS']],
      [TOKEN_3, ['AWSCURRENT']],
    ]);
    expect(labelled.Versions?.[0]?.CreatedDate).toBeInstanceOf(Date);
    expect(all.Versions?.map((version) => version.VersionId)).toEqual([TOKEN_1, TOKEN_2, TOKEN_3]);
    expect(deprecated.VersionStages).toEqual([]);
    expect(deprecated.SecretString).toBe('v1');
  });

  it('listSecretVersionIds paginates', async () => {
    const { client } = harness;
    await client.send(
      new CreateSecretCommand({
        Name: 'versions',
        SecretString: 'v1',
        ClientRequestToken: TOKEN_1,
      }),
    );
    await client.send(
      new PutSecretValueCommand({
        SecretId: 'versions',
        SecretString: 'v2',
        ClientRequestToken: TOKEN_2,
      }),
    );

    const first = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: 'versions', MaxResults: 1 }),
    );
    const second = await client.send(
      new ListSecretVersionIdsCommand({
        SecretId: 'versions',
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
    );

    expect(first.Versions?.map((version) => version.VersionId)).toEqual([TOKEN_1]);
    expect(first.NextToken).toBeDefined();
    expect(second.Versions?.map((version) => version.VersionId)).toEqual([TOKEN_2]);
    expect(second.NextToken).toBeUndefined();
  });

  it('listSecrets filters by name prefix', async () => {
    const { client } = harness;
    for (const name of ['creditgate/tenants/t1/openai', 'creditgate/tenants/t2/openai', 'other']) {
      await client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));
    }

    const tenants = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['creditgate/tenants/'] }] }),
    );
    const notT1 = await client.send(
      new ListSecretsCommand({
        Filters: [{ Key: 'name', Values: ['creditgate/', '!creditgate/tenants/t1'] }],
      }),
    );
    const caseSensitive = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['CreditGate/'] }] }),
    );

    expect(tenants.SecretList?.map((secret) => secret.Name)).toEqual([
      'creditgate/tenants/t1/openai',
      'creditgate/tenants/t2/openai',
    ]);
    expect(tenants.SecretList?.[0]?.SecretVersionsToStages).toBeDefined();
    expect(notT1.SecretList?.map((secret) => secret.Name)).toEqual([
      'creditgate/tenants/t2/openai',
    ]);
    expect(caseSensitive.SecretList).toEqual([]);
  });

  it('listSecrets paginates and sorts', async () => {
    const { client } = harness;
    for (const name of ['b', 'a', 'c']) {
      await client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' }));
    }

    const first = await client.send(
      new ListSecretsCommand({ MaxResults: 2, SortBy: 'name', SortOrder: 'desc' }),
    );
    const second = await client.send(
      new ListSecretsCommand({
        MaxResults: 2,
        SortBy: 'name',
        SortOrder: 'desc',
        NextToken: first.NextToken,
      }),
    );

    expect(first.SecretList?.map((secret) => secret.Name)).toEqual(['c', 'b']);
    expect(second.SecretList?.map((secret) => secret.Name)).toEqual(['a']);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('state file', () => {
  it('state file keeps secrets across restarts', async () => {
    const stateFile = join(createTemporaryDirectory(), 'secrets.json');
    const first = await startSecretsManager({ stateFile });
    const firstClient = createClient(first.url);
    await firstClient.send(
      new CreateSecretCommand({ Name: 'kept', SecretString: 'v1', ClientRequestToken: TOKEN_1 }),
    );
    await firstClient.send(
      new PutSecretValueCommand({
        SecretId: 'kept',
        SecretString: 'v2',
        ClientRequestToken: TOKEN_2,
      }),
    );
    firstClient.destroy();
    await first.close();

    const second = await startHarness({ stateFile });
    const value = await second.client.send(new GetSecretValueCommand({ SecretId: 'kept' }));

    expect(value.SecretString).toBe('v2');
    expect(await getStages(second.client, 'kept')).toEqual({
      [TOKEN_1]: ['AWSPREVIOUS'],
      [TOKEN_2]: ['AWSCURRENT'],
    });
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
  });

  it('corrupt state file fails startup', async () => {
    const stateFile = join(createTemporaryDirectory(), 'secrets.json');
    writeFileSync(stateFile, '{not json');

    await expect(startSecretsManager({ stateFile })).rejects.toThrow(/not valid JSON/);
  });
});

describe('rotateSecret', () => {
  it('rotateSecret runs four steps in order', async () => {
    const harness = await startRotationHarness();
    const { client, lambda, arn } = harness;

    const rotated = await client.send(
      new RotateSecretCommand({
        SecretId: 'creditgate/platform/openai',
        ClientRequestToken: ROTATION_TOKEN,
        RotationLambdaARN: LAMBDA_ARN,
        RotationRules: { AutomaticallyAfterDays: 30 },
      }),
    );
    const current = await client.send(
      new GetSecretValueCommand({ SecretId: 'creditgate/platform/openai' }),
    );
    const previous = await client.send(
      new GetSecretValueCommand({
        SecretId: 'creditgate/platform/openai',
        VersionStage: 'AWSPREVIOUS',
      }),
    );
    const described = await client.send(
      new DescribeSecretCommand({ SecretId: 'creditgate/platform/openai' }),
    );

    expect(rotated).toMatchObject({ ARN: arn, Name: 'creditgate/platform/openai' });
    expect(rotated.VersionId).toBe(ROTATION_TOKEN);
    expect(lambda.invocations.map(({ event }) => event.Step)).toEqual([
      'createSecret',
      'setSecret',
      'testSecret',
      'finishSecret',
    ]);
    for (const { functionName, event } of lambda.invocations) {
      expect(functionName).toBe(LAMBDA_ARN);
      expect(event).toMatchObject({ SecretId: arn, ClientRequestToken: ROTATION_TOKEN });
    }
    // The version RotateSecret creates has no value until createSecret stores one.
    expect(harness.pendingReadErrors).toEqual(['ResourceNotFoundException']);
    expect(current.SecretString).toBe('{"apiKey":"sk-new"}');
    expect(current.VersionId).toBe(ROTATION_TOKEN);
    expect(previous.SecretString).toBe('{"apiKey":"sk-old"}');
    expect(described.VersionIdsToStages).toEqual({
      [TOKEN_1]: ['AWSPREVIOUS'],
      [ROTATION_TOKEN]: ['AWSPENDING', 'AWSCURRENT'],
    });
    expect(described.RotationEnabled).toBe(true);
    expect(described.RotationLambdaARN).toBe(LAMBDA_ARN);
    expect(described.RotationRules).toEqual({ AutomaticallyAfterDays: 30 });
    expect(described.LastRotatedDate).toBeInstanceOf(Date);
    expect(
      (described.NextRotationDate?.getTime() ?? 0) - (described.LastRotatedDate?.getTime() ?? 0),
    ).toBe(30 * DAY_MS);
    expect(harness.logs.map((entry) => entry.message)).toEqual([
      'rotation started',
      'rotation finished',
    ]);
  });

  it('rotateSecret runs again after a finished rotation', async () => {
    const { client, lambda } = await startRotationHarness();
    await client.send(
      new RotateSecretCommand({
        SecretId: 'creditgate/platform/openai',
        ClientRequestToken: ROTATION_TOKEN,
        RotationLambdaARN: LAMBDA_ARN,
      }),
    );

    // Without RotationLambdaARN, RotateSecret reuses the stored configuration.
    await client.send(
      new RotateSecretCommand({
        SecretId: 'creditgate/platform/openai',
        ClientRequestToken: TOKEN_3,
      }),
    );
    const stages = await getStages(client, 'creditgate/platform/openai');

    expect(lambda.invocations).toHaveLength(8);
    expect(stages).toEqual({
      [ROTATION_TOKEN]: ['AWSPREVIOUS'],
      [TOKEN_3]: ['AWSPENDING', 'AWSCURRENT'],
    });
  });

  it('rotateSecret stops at failing testSecret step', async () => {
    const harness = await startRotationHarness({ failingStep: 'testSecret' });
    const { client, lambda } = harness;

    const rotated = await client.send(
      new RotateSecretCommand({
        SecretId: 'creditgate/platform/openai',
        ClientRequestToken: ROTATION_TOKEN,
        RotationLambdaARN: LAMBDA_ARN,
      }),
    );
    const current = await client.send(
      new GetSecretValueCommand({ SecretId: 'creditgate/platform/openai' }),
    );
    const described = await client.send(
      new DescribeSecretCommand({ SecretId: 'creditgate/platform/openai' }),
    );
    const failure = harness.logs.find((entry) => entry.message === 'rotation step failed');

    expect(rotated.VersionId).toBe(ROTATION_TOKEN);
    expect(lambda.invocations.map(({ event }) => event.Step)).toEqual([
      'createSecret',
      'setSecret',
      'testSecret',
    ]);
    expect(current.VersionId).toBe(TOKEN_1);
    expect(current.SecretString).toBe('{"apiKey":"sk-old"}');
    expect(described.VersionIdsToStages).toEqual({
      [TOKEN_1]: ['AWSCURRENT'],
      [ROTATION_TOKEN]: ['AWSPENDING'],
    });
    expect(described.LastRotatedDate).toBeUndefined();
    expect(failure).toMatchObject({
      step: 'testSecret',
      reason: 'function error (Unhandled)',
      error_message: 'testSecret failed on purpose',
    });
  });

  it('rotateSecret treats HTTP error as failed step', async () => {
    const harness = await startRotationHarness({
      reply: (event) => (event.Step === 'setSecret' ? { status: 502 } : undefined),
    });

    await harness.client.send(
      new RotateSecretCommand({
        SecretId: 'creditgate/platform/openai',
        ClientRequestToken: ROTATION_TOKEN,
        RotationLambdaARN: LAMBDA_ARN,
      }),
    );
    const stages = await getStages(harness.client, 'creditgate/platform/openai');
    const failure = harness.logs.find((entry) => entry.message === 'rotation step failed');

    expect(harness.lambda.invocations.map(({ event }) => event.Step)).toEqual([
      'createSecret',
      'setSecret',
    ]);
    expect(stages[TOKEN_1]).toEqual(['AWSCURRENT']);
    expect(failure).toMatchObject({
      step: 'setSecret',
      reason: 'Lambda endpoint returned HTTP 502',
    });
  });

  it('rotateSecret rejects rotation in progress', async () => {
    const { client, lambda } = await startRotationHarness({ failingStep: 'testSecret' });
    const rotate = (token: string) =>
      client.send(
        new RotateSecretCommand({
          SecretId: 'creditgate/platform/openai',
          ClientRequestToken: token,
          RotationLambdaARN: LAMBDA_ARN,
        }),
      );
    await rotate(ROTATION_TOKEN);

    const error = await captureError(rotate(TOKEN_3));
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'creditgate/platform/openai',
        VersionStage: 'AWSPENDING',
        RemoveFromVersionId: ROTATION_TOKEN,
      }),
    );
    const invocationsBeforeRetry = lambda.invocations.length;
    await rotate(TOKEN_3);

    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.message).toContain(ROTATION_TOKEN);
    expect(invocationsBeforeRetry).toBe(3);
    expect(lambda.invocations.slice(3).map(({ event }) => event.ClientRequestToken)).toEqual([
      TOKEN_3,
      TOKEN_3,
      TOKEN_3,
    ]);
  });

  it('rotateSecret records schedule without rotating', async () => {
    const { client, lambda } = await startRotationHarness();

    const rotated = await client.send(
      new RotateSecretCommand({
        SecretId: 'creditgate/platform/openai',
        RotationLambdaARN: LAMBDA_ARN,
        RotationRules: { ScheduleExpression: 'rate(12 hours)', Duration: '2h' },
        RotateImmediately: false,
      }),
    );
    const described = await client.send(
      new DescribeSecretCommand({ SecretId: 'creditgate/platform/openai' }),
    );

    expect(rotated.VersionId).toBeUndefined();
    expect(lambda.invocations).toEqual([]);
    expect(described.RotationEnabled).toBe(true);
    expect(described.RotationRules).toEqual({
      ScheduleExpression: 'rate(12 hours)',
      Duration: '2h',
    });
    expect(described.VersionIdsToStages).toEqual({ [TOKEN_1]: ['AWSCURRENT'] });
    expect(described.NextRotationDate).toBeInstanceOf(Date);
  });

  it('rotateSecret requires a Lambda ARN', async () => {
    const { client } = await startRotationHarness();

    const error = await captureError(
      client.send(new RotateSecretCommand({ SecretId: 'creditgate/platform/openai' })),
    );

    expect(error).toBeInstanceOf(InvalidRequestException);
  });

  it('rotateSecret rejects invalid rotation rules', async () => {
    const { client } = await startRotationHarness();
    const rotate = (rules: { AutomaticallyAfterDays?: number; ScheduleExpression?: string }) =>
      client.send(
        new RotateSecretCommand({
          SecretId: 'creditgate/platform/openai',
          RotationLambdaARN: LAMBDA_ARN,
          RotationRules: rules,
        }),
      );

    const tooOften = await captureError(rotate({ ScheduleExpression: 'rate(1 hours)' }));
    const both = await captureError(
      rotate({ AutomaticallyAfterDays: 1, ScheduleExpression: 'rate(1 days)' }),
    );
    const zeroDays = await captureError(rotate({ AutomaticallyAfterDays: 0 }));

    expect(tooOften).toBeInstanceOf(InvalidParameterException);
    expect(both).toBeInstanceOf(InvalidParameterException);
    expect(zeroDays).toBeInstanceOf(InvalidParameterException);
  });

  it('rotateSecret requires a Lambda endpoint', async () => {
    const { client } = await startHarness();
    await client.send(new CreateSecretCommand({ Name: 'no-lambda', SecretString: 'v1' }));

    const error = await captureError(
      client.send(
        new RotateSecretCommand({ SecretId: 'no-lambda', RotationLambdaARN: LAMBDA_ARN }),
      ),
    );
    const stages = await getStages(client, 'no-lambda');

    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.message).toContain('lambdaEndpoint');
    expect(Object.values(stages)).toEqual([['AWSCURRENT']]);
  });

  it('rotateSecret fails step that times out', async () => {
    const lambda = await startLambdaStub(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return undefined;
    });
    const { client, logs } = await startHarness({
      lambdaEndpoint: lambda.url,
      rotationStepTimeoutMs: 100,
    });
    await client.send(new CreateSecretCommand({ Name: 'slow', SecretString: 'v1' }));

    await client.send(
      new RotateSecretCommand({
        SecretId: 'slow',
        ClientRequestToken: ROTATION_TOKEN,
        RotationLambdaARN: LAMBDA_ARN,
      }),
    );
    const failure = logs.find((entry) => entry.message === 'rotation step failed');

    expect(lambda.invocations.map(({ event }) => event.Step)).toEqual(['createSecret']);
    expect(failure).toMatchObject({
      step: 'createSecret',
      reason: 'invocation timed out after 100 ms',
    });
  });
});

describe('startSecretsManager', () => {
  it('rejects unparsable lambda endpoint', async () => {
    await expect(startSecretsManager({ lambdaEndpoint: 'not a url' })).rejects.toThrow(
      /not a valid URL/,
    );
  });

  it('rejects lambda endpoint without http', async () => {
    await expect(startSecretsManager({ lambdaEndpoint: 'ftp://127.0.0.1:2121' })).rejects.toThrow(
      /must use http or https/,
    );
  });

  it('uses region and account id in ARNs', async () => {
    const { client } = await startHarness({ region: 'eu-west-1', accountId: '123456789012' });

    const created = await client.send(
      new CreateSecretCommand({ Name: 'regional', SecretString: 'v1' }),
    );

    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:regional-/);
  });
});

describe('main', () => {
  const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const mainPath = fileURLToPath(new URL('./main.ts', import.meta.url));

  function runMain(args: string[]): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', mainPath, ...args], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
      }
    });
    return child;
  }

  /** Resolves to the first stdout line, or rejects when none arrives within the time limit. */
  function readFirstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => {
        reject(
          new Error(`main printed no line within ${timeoutMs} ms. Its stdout so far: ${output}`),
        );
      }, timeoutMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const newline = output.indexOf('\n');
        if (newline !== -1) {
          clearTimeout(timer);
          resolve(output.slice(0, newline));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`main exited with code ${code} before printing a line`));
      });
    });
  }

  it('main prints URL and stops on SIGTERM', async () => {
    const stateFile = join(createTemporaryDirectory(), 'secrets.json');
    const child = runMain(['--port', '0', '--state-file', stateFile]);

    const line = await readFirstLine(child, 15_000);
    const url = /^secrets-manager listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
    const client = createClient(url ?? '');
    const created = await client.send(new CreateSecretCommand({ Name: 'cli', SecretString: 'v1' }));
    client.destroy();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [exitCode] = await exited;

    expect(url).toBeDefined();
    expect(created.Name).toBe('cli');
    expect(exitCode).toBe(0);
    expect(statSync(stateFile).size).toBeGreaterThan(0);
  }, 20_000);

  it('main rejects invalid port', async () => {
    const child = runMain(['--port', 'abc']);

    const [exitCode] = await once(child, 'exit');

    expect(exitCode).toBe(2);
  }, 20_000);
});
