import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, CfnOutput, CfnRule, Fn, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { API_BASE_PATH, Api } from './api';
import { CreditgateFunction } from './creditgate-function';
import { DataTable } from './data-table';
import { Identity } from './identity';
import { Jobs } from './jobs';
import { Monitoring } from './monitoring';
import { PlatformKey } from './platform-key';
import { readStageConfig, type StageConfig } from './stage-config';
import { WebHosting } from './web-hosting';

export { DEFAULT_OPENAI_BASE_URL } from './stage-config';

/** The SPA build that the stack uploads, made by `npm run build -w web`. */
export const DEFAULT_WEB_DIST_PATH = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface CreditgateStackProps extends StackProps {
  /**
   * The deployment's settings.
   * @default - read from the CDK context (`stage`, `mailFrom`, `domainName`, ...)
   */
  readonly config?: StageConfig;

  /**
   * Folder of the SPA build to upload; a placeholder page is uploaded when it has no
   * `index.html`, except in `prod`, which rejects a missing build.
   * @default - `web/dist` of this repository
   */
  readonly webDistPath?: string;
}

/**
 * The whole platform in one environment-agnostic stack: table, user pool, platform key
 * secret, REST API with its functions, the scheduled jobs, the SPA's bucket and
 * distribution (which also routes `/v1/*` to the API), and the alarms and dashboard.
 */
export class CreditgateStack extends Stack {
  readonly config: StageConfig;

  constructor(scope: Construct, id: string, props: CreditgateStackProps = {}) {
    super(scope, id, props);
    const config = props.config ?? readStageConfig(this.node);
    this.config = config;
    const isProd = config.stage === 'prod';
    Tags.of(this).add('creditgate:stage', config.stage);

    const dataTable = new DataTable(this, 'Data', { isProtected: isProd });
    const { table } = dataTable;
    const platformKey = new PlatformKey(this, 'PlatformKey', {
      table,
      openaiBaseUrl: config.openaiBaseUrl,
      rotationDays: config.keyRotationDays,
      openaiProjectId: config.openaiProjectId,
    });
    const webHosting = new WebHosting(this, 'Web', {
      customDomain: config.customDomain,
      webAclArn: config.cloudFrontWebAclArn,
    });
    const identity = new Identity(this, 'Identity', {
      table,
      webUrl: webHosting.url,
      mail: config.mail,
      isProtected: isProd,
    });
    const api = new Api(this, 'Api', {
      table,
      identity,
      platformKey,
      webUrl: webHosting.url,
      openaiBaseUrl: config.openaiBaseUrl,
      mail: config.mail,
      throttle: config.apiThrottle,
      wafRateLimit: config.isWafEnabled ? config.wafRateLimit : undefined,
    });
    webHosting.addApiBehavior(`${API_BASE_PATH}/*`, api.restApi, api.stageName);
    const webDistPath = props.webDistPath ?? DEFAULT_WEB_DIST_PATH;
    if (isProd) requireWebBuild(webDistPath);
    webHosting.deploySite(webDistPath, {
      region: Aws.REGION,
      userPoolId: identity.userPool.userPoolId,
      userPoolClientId: identity.userPoolClient.userPoolClientId,
    });
    const jobs = new Jobs(this, 'Jobs', {
      table,
      platformKey,
      openaiBaseUrl: config.openaiBaseUrl,
      keyRevokeGraceMinutes: config.keyRevokeGraceMinutes,
    });
    const monitoring = new Monitoring(this, 'Monitoring', {
      table,
      apiStage: api.restApi.deploymentStage,
      functions: functionsByHandler(this),
      jobs,
      platformKey,
      alarmEmail: config.alarmEmail,
    });

    if (config.mail) {
      // The mailer sends through SES in the functions' own region.
      new CfnRule(this, 'SesIdentityInStackRegion', {
        assertions: [
          {
            assert: Fn.conditionEquals(Aws.REGION, config.mail.identityRegion ?? ''),
            assertDescription: `The SES identity ${config.mail.identityArn} must be in the region the stack is deployed to`,
          },
        ],
      });
    }

    new CfnOutput(this, 'Stage', { value: config.stage });
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
    new CfnOutput(this, 'DistributionDomainName', {
      value: webHosting.distribution.distributionDomainName,
      description: 'Point the custom domain (CNAME or alias record) here',
    });
    new CfnOutput(this, 'PlatformKeySecretArn', {
      value: platformKey.secret.secretArn,
      description: 'Set {"apiKey": "..."} here after the first deploy',
    });
    new CfnOutput(this, 'PlatformAdminKeySecretArn', {
      value: platformKey.adminSecret.secretArn,
      description: 'Set {"adminKey": "sk-admin-..."} here so rotations can mint keys',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: monitoring.alarmTopic.topicArn,
      description: 'Subscribe operators here (email, chat or paging)',
    });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName });
  }
}

/** Every house function in `scope`, keyed by handler module. */
function functionsByHandler(scope: Construct): Map<string, CreditgateFunction> {
  const functions = new Map<string, CreditgateFunction>();
  for (const construct of scope.node.findAll()) {
    if (construct instanceof CreditgateFunction) functions.set(construct.handler, construct);
  }
  return functions;
}

function requireWebBuild(webDistPath: string): void {
  if (!existsSync(join(webDistPath, 'index.html'))) {
    throw new Error(
      `stage prod needs the SPA build in ${webDistPath}: run \`npm run build -w web\` first ` +
        '(npm run deploy does)',
    );
  }
}
