import {
  DescribeSecretCommand,
  type DescribeSecretCommandInput,
  GetSecretValueCommand,
  type GetSecretValueCommandInput,
  InvalidRequestException,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  type PutSecretValueCommandInput,
  ResourceExistsException,
  ResourceNotFoundException,
  RotateSecretCommand,
  type RotateSecretCommandInput,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
  type UpdateSecretVersionStageCommandInput,
} from '@aws-sdk/client-secrets-manager';
import {
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { transactionCanceled, unitTestEnv } from './factories';

/**
 * In-memory fakes for the platform key's unit tests: the two secrets with version stages
 * moving as Secrets Manager moves them, the table items of the rotation, and an OpenAI
 * upstream behind a stubbed `fetch`. Nothing here sends a request.
 */

export const PLATFORM_SECRET = 'creditgate/platform/openai';
export const ADMIN_SECRET = 'creditgate/platform/openai-admin';
export const PLATFORM_ARN = `arn:aws:secretsmanager:us-east-1:000000000000:secret:${PLATFORM_SECRET}-AbCdEf`;
/** A loopback address; `fetch` is stubbed, so nothing is sent there. */
export const UPSTREAM_BASE_URL = 'http://127.0.0.1:9/v1';

/** Environment of the key functions in unit tests. */
export const keyTestEnv = {
  ...unitTestEnv,
  PLATFORM_KEY_SECRET_ID: PLATFORM_SECRET,
  OPENAI_ADMIN_KEY_SECRET_ID: ADMIN_SECRET,
  OPENAI_PROJECT_ID: 'proj_unit',
  OPENAI_BASE_URL: UPSTREAM_BASE_URL,
};

interface FakeVersion {
  value?: string;
  stages: string[];
  createdAt: Date;
}

const metadata = { $metadata: {} };

/** The platform key secret and the admin key secret, with real staging label moves. */
export class FakeSecrets {
  readonly versions = new Map<string, FakeVersion>();
  isRotationEnabled = true;
  adminKey = 'sk-admin-unit-test-key';

  /** Adds a version with a JSON value, or without one like RotateSecret's pending version. */
  addVersion(
    versionId: string,
    value: object | undefined,
    stages: string[],
    createdAt = new Date(),
  ) {
    this.versions.set(versionId, {
      value: value === undefined ? undefined : JSON.stringify(value),
      stages: [],
      createdAt,
    });
    for (const stage of stages) this.attach(versionId, stage);
  }

  stagesOf(versionId: string): string[] {
    return this.versions.get(versionId)?.stages ?? [];
  }

  valueOf(versionId: string): Record<string, string> | undefined {
    const value = this.versions.get(versionId)?.value;
    return value === undefined ? undefined : (JSON.parse(value) as Record<string, string>);
  }

  versionWith(stage: string): string | undefined {
    return [...this.versions].find(([, version]) => version.stages.includes(stage))?.[0];
  }

  describe(input: DescribeSecretCommandInput) {
    this.requirePlatform(input.SecretId);
    const stages: Record<string, string[]> = {};
    for (const [id, version] of this.versions) {
      if (version.stages.length > 0) stages[id] = [...version.stages];
    }
    return {
      ARN: PLATFORM_ARN,
      RotationEnabled: this.isRotationEnabled,
      VersionIdsToStages: stages,
      NextRotationDate: new Date('2027-01-03T00:00:00.000Z'),
      LastRotatedDate: undefined,
    };
  }

  getValue(input: GetSecretValueCommandInput) {
    if (input.SecretId === ADMIN_SECRET) {
      return { SecretString: JSON.stringify({ adminKey: this.adminKey }) };
    }
    this.requirePlatform(input.SecretId);
    const id = input.VersionId ?? this.versionWith(input.VersionStage ?? 'AWSCURRENT');
    const version = id === undefined ? undefined : this.versions.get(id);
    if (
      version === undefined ||
      version.value === undefined ||
      (input.VersionStage !== undefined && !version.stages.includes(input.VersionStage))
    ) {
      throw new ResourceNotFoundException({ message: 'No such version', ...metadata });
    }
    return { VersionId: id, SecretString: version.value, VersionStages: [...version.stages] };
  }

  putValue(input: PutSecretValueCommandInput) {
    this.requirePlatform(input.SecretId);
    const id = input.ClientRequestToken as string;
    const existing = this.versions.get(id);
    if (existing?.value !== undefined) {
      if (existing.value !== input.SecretString) {
        throw new ResourceExistsException({ message: 'Version exists', ...metadata });
      }
      return { VersionId: id };
    }
    if (existing) existing.value = input.SecretString;
    else this.versions.set(id, { value: input.SecretString, stages: [], createdAt: new Date() });
    for (const stage of input.VersionStages ?? ['AWSCURRENT']) this.attach(id, stage);
    return { VersionId: id };
  }

  updateStage(input: UpdateSecretVersionStageCommandInput) {
    this.requirePlatform(input.SecretId);
    const stage = input.VersionStage as string;
    const holder = this.versionWith(stage);
    if (
      holder !== undefined &&
      holder !== input.MoveToVersionId &&
      holder !== input.RemoveFromVersionId
    ) {
      throw new InvalidRequestException({ message: `${stage} is on ${holder}`, ...metadata });
    }
    if (input.MoveToVersionId !== undefined) {
      this.attach(input.MoveToVersionId, stage);
    } else if (input.RemoveFromVersionId !== undefined) {
      const version = this.versions.get(input.RemoveFromVersionId);
      if (version) version.stages = version.stages.filter((candidate) => candidate !== stage);
    }
    return {};
  }

  listVersions() {
    return {
      Versions: [...this.versions]
        .filter(([, version]) => version.stages.length > 0)
        .map(([id, version]) => ({
          VersionId: id,
          VersionStages: [...version.stages],
          CreatedDate: version.createdAt,
        })),
    };
  }

  /** Moves a label to a version; moving AWSCURRENT labels the old holder AWSPREVIOUS. */
  private attach(versionId: string, stage: string) {
    const target = this.versions.get(versionId);
    if (!target) throw new Error(`No version ${versionId}`);
    const holder = this.versionWith(stage);
    if (holder === versionId) return;
    const previous = holder === undefined ? undefined : this.versions.get(holder);
    if (previous) previous.stages = previous.stages.filter((candidate) => candidate !== stage);
    target.stages.push(stage);
    if (stage === 'AWSCURRENT' && previous) {
      for (const version of this.versions.values()) {
        version.stages = version.stages.filter((candidate) => candidate !== 'AWSPREVIOUS');
      }
      previous.stages.push('AWSPREVIOUS');
      target.stages = target.stages.filter((candidate) => candidate !== 'AWSPREVIOUS');
    }
  }

  private requirePlatform(secretId: string | undefined) {
    if (secretId !== PLATFORM_SECRET && secretId !== PLATFORM_ARN) {
      throw new ResourceNotFoundException({ message: `No secret ${secretId}`, ...metadata });
    }
  }
}

/** The rotation state item, the minted accounts and the audit entries, as plain objects. */
export class FakeTable {
  state: Record<string, unknown> | undefined;
  readonly accounts: Record<string, unknown>[] = [];
  readonly audits: Record<string, unknown>[] = [];

  get(input: GetCommandInput) {
    return input.Key?.sk === 'PLATFORM_KEY' && this.state ? { Item: { ...this.state } } : {};
  }

  query(input: QueryCommandInput) {
    const prefix = String(input.ExpressionAttributeValues?.[':prefix']);
    const wantsRevoked = input.FilterExpression === 'attribute_exists(revokedAt)';
    const items = this.accounts.filter(
      (account) =>
        String(account.sk).startsWith(prefix) && (account.revokedAt !== undefined) === wantsRevoked,
    );
    return { Items: items.map((item) => ({ ...item })) };
  }

  put(input: PutCommandInput) {
    this.accounts.push({ ...input.Item });
    return {};
  }

  /** Applies the rotation's transactions, evaluating the conditions they use. */
  transact(input: TransactWriteCommandInput) {
    const items = input.TransactItems ?? [];
    const failures = items.map((item) => (item.Update ? this.failsCondition(item.Update) : false));
    if (failures.some(Boolean)) {
      throw transactionCanceled(
        failures.map((failed) => ({ code: failed ? 'ConditionalCheckFailed' : 'None' })),
      );
    }
    for (const item of items) {
      if (item.Put) this.audits.push({ ...item.Put.Item });
      if (item.Update) this.applyUpdate(item.Update);
    }
    return {};
  }

  private failsCondition(update: NonNullable<TransactItem['Update']>): boolean {
    const values = update.ExpressionAttributeValues ?? {};
    if (update.Key?.sk === 'PLATFORM_KEY') {
      return (
        update.ConditionExpression !== undefined &&
        this.state?.currentVersionId === values[':versionId']
      );
    }
    const account = this.findAccount(String(update.Key?.sk));
    return account === undefined || account.revokedAt !== undefined;
  }

  private applyUpdate(update: NonNullable<TransactItem['Update']>) {
    const values = update.ExpressionAttributeValues ?? {};
    if (update.Key?.sk === 'PLATFORM_KEY') {
      this.state = { ...this.state };
      if (values[':failure'] !== undefined) this.state.lastFailure = values[':failure'];
      if (values[':versionId'] !== undefined) {
        this.state.currentVersionId = values[':versionId'];
        this.state.lastRotatedAt = values[':rotatedAt'];
        this.state.lastRotationSource = values[':source'];
      }
      return;
    }
    const account = this.findAccount(String(update.Key?.sk));
    if (account) account.revokedAt = values[':revokedAt'];
  }

  private findAccount(sk: string) {
    return this.accounts.find((account) => account.sk === sk);
  }
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Calls the fake upstream received, without their keys. */
export interface UpstreamCall {
  method: string;
  path: string;
}

/**
 * An OpenAI upstream behind a stubbed `fetch`: the Admin API mints `sk-svcacct-` keys and
 * deletes service accounts, and `GET /models` rejects keys containing `invalid` or revoked
 * ones with a 401 whose message quotes the key, as OpenAI's does.
 */
export class FakeUpstream {
  readonly calls: UpstreamCall[] = [];
  readonly accounts = new Map<string, { key: string }>();
  readonly revokedKeys = new Set<string>();
  /** Status for the next Admin API requests instead of the normal response. */
  adminFailureStatus: number | undefined;
  private counter = 0;

  readonly fetch = vi.fn(async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const { pathname } = new URL(String(url));
    const method = init?.method ?? 'GET';
    const path = pathname.replace(/^\/v1/, '');
    this.calls.push({ method, path });
    const key = String(new Headers(init?.headers).get('authorization')).replace(/^Bearer /, '');

    if (path === '/models') {
      if (key.includes('invalid') || this.revokedKeys.has(key)) {
        return json(401, { error: { message: `Incorrect API key provided: ${key}` } });
      }
      return json(200, { object: 'list', data: [] });
    }
    if (this.adminFailureStatus !== undefined) return json(this.adminFailureStatus, {});
    const accountMatch = /^\/organization\/projects\/([^/]+)\/service_accounts(?:\/([^/]+))?$/.exec(
      path,
    );
    if (!accountMatch || !key.startsWith('sk-admin-')) return json(404, {});
    const accountId = accountMatch[2];
    if (method === 'POST' && accountId === undefined) {
      this.counter++;
      const id = `svc_acct_${this.counter}`;
      const value = `sk-svcacct-minted${this.counter}-${'x'.repeat(24)}`;
      this.accounts.set(id, { key: value });
      return json(200, { id, api_key: { id: `key_${this.counter}`, value } });
    }
    if (method === 'DELETE' && accountId !== undefined) {
      const account = this.accounts.get(accountId);
      if (!account) return json(404, {});
      this.revokedKeys.add(account.key);
      this.accounts.delete(accountId);
      return json(200, { id: accountId, deleted: true });
    }
    return json(404, {});
  });

  countCalls(method: string, pathPattern: RegExp): number {
    return this.calls.filter((call) => call.method === method && pathPattern.test(call.path))
      .length;
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** Mocks both SDK clients on the fakes and stubs `fetch` and the environment. */
export function installKeyFakes(fakes: {
  secrets: FakeSecrets;
  table: FakeTable;
  upstream: FakeUpstream;
}) {
  const secretsMock = mockClient(SecretsManagerClient);
  const dynamoMock = mockClient(DynamoDBDocumentClient);
  secretsMock.on(DescribeSecretCommand).callsFake((input) => fakes.secrets.describe(input));
  secretsMock.on(GetSecretValueCommand).callsFake((input) => fakes.secrets.getValue(input));
  secretsMock.on(PutSecretValueCommand).callsFake((input) => fakes.secrets.putValue(input));
  secretsMock
    .on(UpdateSecretVersionStageCommand)
    .callsFake((input) => fakes.secrets.updateStage(input));
  secretsMock.on(ListSecretVersionIdsCommand).callsFake(() => fakes.secrets.listVersions());
  secretsMock.on(RotateSecretCommand).callsFake((input: RotateSecretCommandInput) => ({
    ARN: PLATFORM_ARN,
    VersionId: input.ClientRequestToken,
  }));
  dynamoMock.on(GetCommand).callsFake((input) => fakes.table.get(input));
  dynamoMock.on(QueryCommand).callsFake((input) => fakes.table.query(input));
  dynamoMock.on(PutCommand).callsFake((input) => fakes.table.put(input));
  dynamoMock.on(TransactWriteCommand).callsFake((input) => fakes.table.transact(input));
  vi.stubGlobal('fetch', fakes.upstream.fetch);
  for (const [name, value] of Object.entries(keyTestEnv)) vi.stubEnv(name, value);
  return { secretsMock, dynamoMock };
}
