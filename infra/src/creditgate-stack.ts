import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { API_BASE_PATH, Api } from './api';
import { DataTable } from './data-table';
import { Identity } from './identity';
import { Jobs } from './jobs';
import { PlatformKey } from './platform-key';
import { WebHosting } from './web-hosting';

/** OpenAI's public API, the upstream when no `openaiBaseUrl` is given. */
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface CreditgateStackProps extends StackProps {
  /**
   * Base URL of the OpenAI-compatible upstream. It must use HTTPS, because the platform's
   * API key travels with every request.
   * @default - the CDK context value `openaiBaseUrl`, else `https://api.openai.com/v1`
   */
  readonly openaiBaseUrl?: string;

  /**
   * Days between scheduled rotations of the platform key.
   * @default - the CDK context value `keyRotationDays`, else 30
   */
  readonly keyRotationDays?: number;

  /**
   * Minutes a replaced platform key stays valid before it is revoked.
   * @default - the CDK context value `keyRevokeGraceMinutes`, else 60
   */
  readonly keyRevokeGraceMinutes?: number;

  /**
   * The OpenAI project in which rotations mint platform keys.
   * @default - the CDK context value `openaiProjectId`, else none (only submitted keys rotate in)
   */
  readonly openaiProjectId?: string;
}

/**
 * The whole platform in one environment-agnostic stack: table, user pool, platform key
 * secret, REST API with its functions, the scheduled jobs, and the SPA's bucket and
 * distribution, which also routes `/v1/*` to the API.
 */
export class CreditgateStack extends Stack {
  constructor(scope: Construct, id: string, props: CreditgateStackProps = {}) {
    super(scope, id, props);

    const openaiBaseUrl = checkOpenaiBaseUrl(
      props.openaiBaseUrl ?? this.node.tryGetContext('openaiBaseUrl') ?? DEFAULT_OPENAI_BASE_URL,
    );

    const { table } = new DataTable(this, 'Data');
    const platformKey = new PlatformKey(this, 'PlatformKey', {
      table,
      openaiBaseUrl,
      rotationDays: readNumber(
        'keyRotationDays',
        props.keyRotationDays,
        this.node.tryGetContext('keyRotationDays'),
      ),
      openaiProjectId: checkOptionalString(
        'openaiProjectId',
        props.openaiProjectId ?? this.node.tryGetContext('openaiProjectId'),
      ),
    });
    const webHosting = new WebHosting(this, 'Web');
    const identity = new Identity(this, 'Identity', { table, webUrl: webHosting.url });
    const api = new Api(this, 'Api', {
      table,
      identity,
      platformKey,
      webUrl: webHosting.url,
      openaiBaseUrl,
    });
    webHosting.addApiBehavior(`${API_BASE_PATH}/*`, api.restApi, api.stageName);
    new Jobs(this, 'Jobs', {
      table,
      platformKey,
      openaiBaseUrl,
      keyRevokeGraceMinutes: readNumber(
        'keyRevokeGraceMinutes',
        props.keyRevokeGraceMinutes,
        this.node.tryGetContext('keyRevokeGraceMinutes'),
      ),
    });

    new CfnOutput(this, 'WebUrl', { value: webHosting.url });
    new CfnOutput(this, 'ApiUrl', {
      value: api.url,
      description: 'Base URL for API clients such as the openai SDK',
    });
    new CfnOutput(this, 'UserPoolId', { value: identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', {
      value: identity.userPoolClient.userPoolClientId,
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'SiteBucketName', { value: webHosting.bucket.bucketName });
    new CfnOutput(this, 'DistributionId', { value: webHosting.distribution.distributionId });
    new CfnOutput(this, 'PlatformKeySecretArn', {
      value: platformKey.secret.secretArn,
      description: 'Set {"apiKey": "..."} here after the first deploy',
    });
    new CfnOutput(this, 'PlatformAdminKeySecretArn', {
      value: platformKey.adminSecret.secretArn,
      description: 'Set {"adminKey": "sk-admin-..."} here so rotations can mint keys',
    });
  }
}

function checkOpenaiBaseUrl(value: unknown): string {
  if (typeof value !== 'string') {
    throw new Error(`openaiBaseUrl must be a string, got ${JSON.stringify(value)}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`openaiBaseUrl is not a valid URL: "${value}"`);
  }
  if (url.protocol !== 'https:') {
    throw new Error(`openaiBaseUrl must use https, got "${value}"`);
  }
  return value;
}

/**
 * Returns a numeric setting from its prop or its context value; `cdk synth -c name=7` passes
 * context values as strings.
 */
function readNumber(name: string, prop: number | undefined, context: unknown): number | undefined {
  if (prop !== undefined) return prop;
  if (context === undefined) return undefined;
  const value = typeof context === 'string' && context.trim() !== '' ? Number(context) : context;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new Error(`${name} must be a number, got ${JSON.stringify(context)}`);
  }
  return value;
}

function checkOptionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}
