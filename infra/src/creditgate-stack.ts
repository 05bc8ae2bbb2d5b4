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
    const platformKey = new PlatformKey(this, 'PlatformKey');
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
    new Jobs(this, 'Jobs', { table });

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
