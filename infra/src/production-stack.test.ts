import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type RouteDefinition, routes } from '@creditgate/shared';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebBuild, PROD_CONTEXT, synthesizeStack } from '../test/template-fixtures';
import { isPublicRoute, MAIL_HANDLERS, usesCognitoAuthorizer } from './api';
import { LOG_METRICS, PROXY_OVERHEAD_METRIC, SWEEPER_BACKLOG_RUNS } from './monitoring';
import {
  HASHED_ASSET_CACHE_CONTROL,
  SPA_ROUTING_CODE,
  UNHASHED_FILE_CACHE_CONTROL,
} from './web-hosting';

// biome-ignore lint/suspicious/noExplicitAny: template properties are untyped JSON that the tests navigate by key.
type Resource = { Type: string; Properties: Record<string, any>; [key: string]: unknown };
type Resources = Record<string, Resource>;

const FUNCTIONS_SOURCE = fileURLToPath(new URL('../../functions/src/', import.meta.url));

/** CloudFront's managed policies, by id. */
const CACHING_DISABLED_POLICY_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_POLICY_ID = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const webDistPath = createWebBuild();

let prod: Template;
let prodResources: Resources;
let dev: Template;
let devResources: Resources;

beforeAll(() => {
  prod = synthesizeStack(PROD_CONTEXT, webDistPath).template;
  prodResources = prod.toJSON().Resources as Resources;
  dev = synthesizeStack({}, webDistPath).template;
  devResources = dev.toJSON().Resources as Resources;
});

function ofType(resources: Resources, type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

function onlyOfType(resources: Resources, type: string): [string, Resource] {
  const matches = ofType(resources, type);
  expect(matches, type).toHaveLength(1);
  return matches[0] as [string, Resource];
}

/** Logical ids a value refers to through Ref and Fn::GetAtt. */
function referencedIds(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedIds(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'Ref' && typeof item === 'string') found.add(item);
      else if (key === 'Fn::GetAtt' && Array.isArray(item)) found.add(item[0] as string);
      else referencedIds(item, found);
    }
  }
  return found;
}

/** Joins an `Fn::Join` value into text, writing references as `<Ref>`. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(joined).join(join[0]);
  return `<${[...referencedIds(value)].join(',')}>`;
}

function houseFunctions(resources: Resources): [string, Resource][] {
  return ofType(resources, 'AWS::Lambda::Function').filter(([, resource]) =>
    String(resource.Properties.Description ?? '').startsWith('Creditgate '),
  );
}

function functionFor(resources: Resources, description: string): [string, Resource] {
  const match = houseFunctions(resources).find(
    ([, resource]) => resource.Properties.Description === `Creditgate ${description}`,
  );
  if (!match) throw new Error(`No function described as "Creditgate ${description}"`);
  return match;
}

function functionForHandler(resources: Resources, handler: string): [string, Resource] {
  const route = routes.find((candidate) => candidate.handler === handler);
  if (!route) throw new Error(`No route for ${handler}`);
  return functionFor(resources, `${route.method} ${route.path}`);
}

/** The statements of every IAM policy attached to the function's role. */
function roleStatements(
  resources: Resources,
  functionResource: Resource,
): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const roleId = functionResource.Properties.Role['Fn::GetAtt'][0] as string;
  return ofType(resources, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as { Ref?: string }[]).some((role) => role.Ref === roleId),
    )
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

/** Full path of each API Gateway resource, keyed by logical id. */
function resourcePaths(resources: Resources): Map<string, string> {
  const paths = new Map<string, string>();
  const pathOf = (logicalId: string): string => {
    const known = paths.get(logicalId);
    if (known !== undefined) return known;
    const resource = resources[logicalId] as Resource;
    const parent = resource.Properties.ParentId as { Ref?: string };
    const path = `${parent.Ref ? pathOf(parent.Ref) : ''}/${resource.Properties.PathPart}`;
    paths.set(logicalId, path);
    return path;
  };
  for (const [logicalId] of ofType(resources, 'AWS::ApiGateway::Resource')) pathOf(logicalId);
  return paths;
}

function methodFor(resources: Resources, route: RouteDefinition): Resource {
  const paths = resourcePaths(resources);
  const matches = ofType(resources, 'AWS::ApiGateway::Method').filter(([, method]) => {
    const resourceId = method.Properties.ResourceId as { Ref?: string };
    return (
      method.Properties.HttpMethod === route.method &&
      resourceId.Ref !== undefined &&
      paths.get(resourceId.Ref) === route.path
    );
  });
  expect(matches, `${route.method} ${route.path}`).toHaveLength(1);
  return (matches[0] as [string, Resource])[1];
}

function distributionConfig(resources: Resources) {
  return onlyOfType(resources, 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig;
}

/** CloudFormation's limit of resources in one stack. */
const MAX_STACK_RESOURCES = 500;

describe('stack size', () => {
  it('stays within the resource limit', () => {
    // Each route adds about seven resources, so a failure here means splitting the stack.
    const counts = {
      prod: Object.keys(prodResources).length,
      dev: Object.keys(devResources).length,
    };

    expect(counts.prod, 'prod resources').toBeLessThanOrEqual(MAX_STACK_RESOURCES);
    expect(counts.dev, 'dev resources').toBeLessThanOrEqual(MAX_STACK_RESOURCES);
  });
});

describe('stage settings', () => {
  it('default to dev', () => {
    const { stack } = synthesizeStack({}, webDistPath);

    expect(stack.config.stage).toBe('dev');
  });

  it('reject an unknown stage', () => {
    expect(() => synthesizeStack({ stage: 'staging' }, webDistPath)).toThrow(
      /stage must be one of dev, prod/,
    );
  });

  it('require an SES sender in prod', () => {
    expect(() => synthesizeStack({ stage: 'prod' }, webDistPath)).toThrow(/mailFrom/);
  });

  it('require the SPA build in prod', () => {
    expect(() => synthesizeStack(PROD_CONTEXT, '/nonexistent-web-dist')).toThrow(
      /npm run build -w web/,
    );
  });

  it('reject a sender outside the SES identity', () => {
    expect(() =>
      synthesizeStack({ ...PROD_CONTEXT, mailFrom: 'no-reply@other.example.org' }, webDistPath),
    ).toThrow(/neither the SES identity/);
  });

  it('reject a certificate outside us-east-1', () => {
    expect(() =>
      synthesizeStack(
        {
          ...PROD_CONTEXT,
          certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f',
        },
        webDistPath,
      ),
    ).toThrow(/us-east-1/);
  });

  it('reject a domain without a certificate', () => {
    expect(() => synthesizeStack({ domainName: 'app.example.com' }, webDistPath)).toThrow(
      /domainName and certificateArn must be set together/,
    );
  });

  it('reject a waf flag that is not a boolean', () => {
    expect(() => synthesizeStack({ waf: 'yes' }, webDistPath)).toThrow(/waf must be true or false/);
  });

  it('protect the table and pool in prod only', () => {
    const [, prodTable] = onlyOfType(prodResources, 'AWS::DynamoDB::GlobalTable');
    const [, devTable] = onlyOfType(devResources, 'AWS::DynamoDB::GlobalTable');
    const [, prodPool] = onlyOfType(prodResources, 'AWS::Cognito::UserPool');
    const [, devPool] = onlyOfType(devResources, 'AWS::Cognito::UserPool');

    expect(prodTable.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(prodTable.DeletionPolicy).toBe('Retain');
    expect(devTable.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
    expect(devTable.DeletionPolicy).toBe('Delete');
    expect(prodPool.Properties.DeletionProtection).toBe('ACTIVE');
    expect(prodPool.DeletionPolicy).toBe('Retain');
    expect(devPool.Properties.DeletionProtection).toBe('INACTIVE');
    expect(devPool.DeletionPolicy).toBe('Delete');
  });

  it('output the URLs and the pool and client ids', () => {
    const outputs = prod.toJSON().Outputs as Record<string, { Value: unknown }>;

    for (const name of ['WebUrl', 'ApiUrl', 'UserPoolId', 'UserPoolClientId', 'AlarmTopicArn']) {
      expect(outputs, name).toHaveProperty(name);
    }
    expect(outputs.WebUrl?.Value).toBe('https://app.example.com');
  });
});

describe('data table', () => {
  it('is encrypted with a rotating customer-managed key', () => {
    const [, table] = onlyOfType(prodResources, 'AWS::DynamoDB::GlobalTable');
    const keyArn = table.Properties.Replicas[0].SSESpecification.KMSMasterKeyId;
    const [keyId] = [...referencedIds(keyArn)];
    const key = prodResources[keyId as string] as Resource;

    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('lets functions use its key through DynamoDB only', () => {
    const [, table] = onlyOfType(prodResources, 'AWS::DynamoDB::GlobalTable');
    const keyId = [
      ...referencedIds(table.Properties.Replicas[0].SSESpecification.KMSMasterKeyId),
    ][0];
    for (const [id, lambdaFunction] of houseFunctions(prodResources)) {
      const keyStatements = roleStatements(prodResources, lambdaFunction).filter((statement) =>
        referencedIds(statement.Resource).has(keyId as string),
      );

      expect(keyStatements.length, id).toBeGreaterThan(0);
      for (const statement of keyStatements) {
        expect(JSON.stringify(statement.Condition), id).toContain('dynamodb.');
      }
    }
  });
});

describe('user pool', () => {
  it('offers TOTP MFA as an option', () => {
    const [, pool] = onlyOfType(prodResources, 'AWS::Cognito::UserPool');

    expect(pool.Properties.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('sends email through SES in prod', () => {
    const [, pool] = onlyOfType(prodResources, 'AWS::Cognito::UserPool');
    const email = pool.Properties.EmailConfiguration;

    expect(email.EmailSendingAccount).toBe('DEVELOPER');
    expect(email.From).toBe('Creditgate <no-reply@mail.example.com>');
    expect(joined(email.SourceArn)).toMatch(/:ses:us-east-1:.*:identity\/mail\.example\.com$/);
  });

  it('stops a deploy in another region than the SES identity', () => {
    const rules = prod.toJSON().Rules as Record<string, { Assertions: { Assert: unknown }[] }>;

    expect(rules.SesIdentityInStackRegion?.Assertions[0]?.Assert).toEqual({
      'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'],
    });
    expect(dev.toJSON().Rules?.SesIdentityInStackRegion).toBeUndefined();
  });

  it("uses Cognito's sender in dev without SES", () => {
    const [, pool] = onlyOfType(devResources, 'AWS::Cognito::UserPool');

    expect(pool.Properties.EmailConfiguration).toEqual({
      EmailSendingAccount: 'COGNITO_DEFAULT',
    });
  });

  it('keeps custom attributes out of the SPA client writes', () => {
    const [, client] = onlyOfType(prodResources, 'AWS::Cognito::UserPoolClient');

    expect(client.Properties.WriteAttributes).toEqual(['name']);
    expect(client.Properties.AllowedOAuthFlowsUserPoolClient).toBe(false);
  });
});

describe('API', () => {
  it('authorizes platform routes with the Cognito pool', () => {
    const [authorizerId, authorizer] = onlyOfType(prodResources, 'AWS::ApiGateway::Authorizer');
    const [poolId] = onlyOfType(prodResources, 'AWS::Cognito::UserPool');

    expect(authorizer.Properties.Type).toBe('COGNITO_USER_POOLS');
    expect(authorizer.Properties.IdentitySource).toBe('method.request.header.Authorization');
    expect(referencedIds(authorizer.Properties.ProviderARNs)).toEqual(new Set([poolId]));
    for (const route of routes.filter(usesCognitoAuthorizer)) {
      const method = methodFor(prodResources, route);

      expect(method.Properties.AuthorizationType, route.path).toBe('COGNITO_USER_POOLS');
      expect(method.Properties.AuthorizerId, route.path).toEqual({ Ref: authorizerId });
    }
  });

  it('leaves AI routes to the handler', () => {
    const aiRoutes = routes.filter((route) => route.errorShape === 'openai');
    expect(aiRoutes.map((route) => route.path).sort()).toEqual([
      '/v1/chat/completions',
      '/v1/embeddings',
      '/v1/models',
    ]);

    for (const route of aiRoutes) {
      const method = methodFor(prodResources, route);

      expect(method.Properties.AuthorizationType, route.path).toBe('NONE');
      expect(method.Properties.AuthorizerId, route.path).toBeUndefined();
    }
  });

  it('never authorizes a public route', () => {
    const platformRoute = routes.find((route) => route.errorShape === 'platform');
    const publicRoute = { ...platformRoute, isPublic: true } as RouteDefinition;

    expect(isPublicRoute(publicRoute)).toBe(true);
    expect(usesCognitoAuthorizer(publicRoute)).toBe(false);
    for (const route of routes.filter(isPublicRoute)) {
      expect(methodFor(prodResources, route).Properties.AuthorizationType).toBe('NONE');
    }
    // The OpenAPI document is served without authentication; if the route table marks it
    // public under another flag than `isPublic`, this fails until isPublicRoute reads it.
    for (const route of routes.filter((candidate) => candidate.path === '/v1/openapi.json')) {
      expect(isPublicRoute(route), route.path).toBe(true);
    }
  });

  it('answers a rejected token with 401 UNAUTHENTICATED', () => {
    prod.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('UNAUTHENTICATED') },
    });
  });

  it('streams the chat route for 15 minutes', () => {
    const chat = routes.find((route) => route.path === '/v1/chat/completions') as RouteDefinition;
    const integration = methodFor(prodResources, chat).Properties.Integration;

    expect(integration.ResponseTransferMode).toBe('STREAM');
    expect(integration.TimeoutInMillis).toBe(900_000);
  });

  it('writes JSON access logs with retention', () => {
    const [, stage] = onlyOfType(prodResources, 'AWS::ApiGateway::Stage');
    const logGroupId = [...referencedIds(stage.Properties.AccessLogSetting.DestinationArn)][0];
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);

    expect(prodResources[logGroupId as string]?.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      resourcePath: '$context.resourcePath',
    });
    expect(JSON.stringify(format)).not.toMatch(/header|requestBody|querystring/i);
  });

  it('logs errors without bodies and throttles the stage', () => {
    const [, stage] = onlyOfType(prodResources, 'AWS::ApiGateway::Stage');

    expect(stage.Properties.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        ThrottlingRateLimit: 500,
        ThrottlingBurstLimit: 1000,
      }),
    ]);
  });

  it('takes the throttling limits from the context', () => {
    const { template } = synthesizeStack({ apiRateLimit: '50', apiBurstLimit: '100' }, webDistPath);

    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    });
  });

  it('attaches a rate-based WAF rule when enabled', () => {
    const [aclId, acl] = onlyOfType(prodResources, 'AWS::WAFv2::WebACL');
    const [, association] = onlyOfType(prodResources, 'AWS::WAFv2::WebACLAssociation');
    const [stageId] = onlyOfType(prodResources, 'AWS::ApiGateway::Stage');

    expect(acl.Properties.Scope).toBe('REGIONAL');
    expect(acl.Properties.Rules[0].Statement.RateBasedStatement).toEqual({
      Limit: 3000,
      AggregateKeyType: 'IP',
    });
    expect(acl.Properties.Rules[0].Action).toEqual({ Block: {} });
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(referencedIds(association.Properties.ResourceArn)).toContain(stageId);
    expect(ofType(devResources, 'AWS::WAFv2::WebACL')).toHaveLength(0);
  });
});

describe('SES grants', () => {
  it('let only the mail handlers send from the sender', () => {
    for (const route of routes) {
      const [, lambdaFunction] = functionFor(prodResources, `${route.method} ${route.path}`);
      const sesStatements = roleStatements(prodResources, lambdaFunction).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('ses:')),
      );
      const variables = lambdaFunction.Properties.Environment.Variables;

      if (MAIL_HANDLERS.includes(route.handler)) {
        expect(sesStatements, route.handler).toEqual([
          {
            Action: 'ses:SendEmail',
            Effect: 'Allow',
            Resource: PROD_CONTEXT.sesIdentityArn,
            Condition: { StringEquals: { 'ses:FromAddress': PROD_CONTEXT.mailFrom } },
          },
        ]);
        expect(variables.MAIL_FROM, route.handler).toBe(PROD_CONTEXT.mailFrom);
      } else {
        expect(sesStatements, route.handler).toEqual([]);
        expect(variables.MAIL_FROM, route.handler).toBeUndefined();
      }
    }
  });

  it('are absent without SES settings', () => {
    const [, chat] = functionForHandler(devResources, 'ai/chat-completions');

    expect(JSON.stringify(roleStatements(devResources, chat))).not.toContain('ses:');
    expect(chat.Properties.Environment.Variables.MAIL_FROM).toBeUndefined();
  });

  it('reject a mail handler without a route', () => {
    const handlers = MAIL_HANDLERS as string[];
    handlers.push('mail/no-such-handler');
    try {
      expect(() => synthesizeStack({}, webDistPath)).toThrow(
        /mail\/no-such-handler has an IAM grant but no route/,
      );
    } finally {
      handlers.pop();
    }
  });
});

describe('function roles', () => {
  it('have no managed policies', () => {
    for (const [id, lambdaFunction] of houseFunctions(prodResources)) {
      const roleId = lambdaFunction.Properties.Role['Fn::GetAtt'][0] as string;

      expect(prodResources[roleId]?.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('write logs to their own group only', () => {
    for (const [id, lambdaFunction] of houseFunctions(prodResources)) {
      const logGroupId = lambdaFunction.Properties.LoggingConfig.LogGroup.Ref as string;
      const logStatements = roleStatements(prodResources, lambdaFunction).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('logs:')),
      );

      expect(logStatements.length, id).toBeGreaterThan(0);
      for (const statement of logStatements) {
        expect([...referencedIds(statement.Resource)], id).toEqual([logGroupId]);
      }
    }
  });

  it('use resource * only for actions without resource types', () => {
    const allowed = [
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
      'secretsmanager:GetRandomPassword',
    ];
    const statements = ofType(prodResources, 'AWS::IAM::Policy').flatMap(
      ([, policy]) => policy.Properties.PolicyDocument.Statement,
    );

    for (const statement of statements) {
      if ([statement.Resource].flat().includes('*')) {
        for (const action of [statement.Action].flat()) {
          expect(allowed, action).toContain(action);
        }
      }
    }
  });
});

describe('web distribution', () => {
  it('rewrites extensionless paths to index.html only', () => {
    const rewrite = new Function(`${SPA_ROUTING_CODE}; return handler;`)() as (event: {
      request: { uri: string };
    }) => { uri: string };
    const cases: [string, string][] = [
      ['/tenants/t-1/users', '/index.html'],
      ['/accept-invite', '/index.html'],
      ['/', '/index.html'],
      ['/assets/index-abc123.js', '/assets/index-abc123.js'],
      ['/config.json', '/config.json'],
      ['/assets/missing.css', '/assets/missing.css'],
    ];

    for (const [uri, expected] of cases) {
      expect(rewrite({ request: { uri } }).uri, uri).toBe(expected);
    }
  });

  it('runs the rewrite on viewer requests of the site behavior', () => {
    const [functionId, cloudFrontFunction] = onlyOfType(prodResources, 'AWS::CloudFront::Function');
    const config = distributionConfig(prodResources);

    expect(cloudFrontFunction.Properties.FunctionCode).toBe(SPA_ROUTING_CODE);
    expect(cloudFrontFunction.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
    ]);
  });

  it('has no blanket error-to-index rule', () => {
    expect(distributionConfig(prodResources).CustomErrorResponses).toBeUndefined();
  });

  it('sends strict security headers on every behavior', () => {
    const [policyId, policy] = onlyOfType(prodResources, 'AWS::CloudFront::ResponseHeadersPolicy');
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = joined(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    const config = distributionConfig(prodResources);

    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' https://cognito-idp.<AWS::Region>.amazonaws.com;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(
      31_536_000,
    );
    expect(headers.StrictTransportSecurity.IncludeSubdomains).toBe(true);
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    }
  });

  it('forwards Authorization to the API uncached', () => {
    const config = distributionConfig(prodResources);
    const apiBehavior = config.CacheBehaviors.find(
      (behavior: { PathPattern: string }) => behavior.PathPattern === '/v1/*',
    );
    const apiOrigin = config.Origins.find(
      (origin: { Id: string }) => origin.Id === apiBehavior.TargetOriginId,
    );

    expect(apiBehavior.CachePolicyId).toBe(CACHING_DISABLED_POLICY_ID);
    expect(apiBehavior.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_POLICY_ID);
    expect(apiBehavior.ViewerProtocolPolicy).toBe('https-only');
    // Longer than the proxy's 15-second keep-alive interval.
    expect(apiOrigin.CustomOriginConfig.OriginReadTimeout).toBeGreaterThan(15);
    expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
  });

  it("honours the files' Cache-Control", () => {
    const config = distributionConfig(prodResources);
    const [cachePolicyId, cachePolicy] = onlyOfType(prodResources, 'AWS::CloudFront::CachePolicy');

    expect(config.DefaultCacheBehavior.CachePolicyId).toEqual({ Ref: cachePolicyId });
    expect(cachePolicy.Properties.CachePolicyConfig.MinTTL).toBe(0);
  });

  it('uses the custom domain with TLS 1.2 or newer', () => {
    const config = distributionConfig(prodResources);

    expect(config.Aliases).toEqual(['app.example.com']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: PROD_CONTEXT.certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(distributionConfig(devResources).Aliases).toBeUndefined();
  });

  it('logs requests to the log bucket', () => {
    const config = distributionConfig(prodResources);
    const [logBucketId] = [...referencedIds(config.Logging.Bucket)];

    expect(prodResources[logBucketId as string]?.Type).toBe('AWS::S3::Bucket');
    expect(config.Logging.Prefix).toBe('cloudfront/');
  });
});

describe('site deployment', () => {
  function deployments(resources: Resources): Resource[] {
    return ofType(resources, 'Custom::CDKBucketDeployment').map(([, resource]) => resource);
  }

  it('caches hashed assets for a year', () => {
    const assets = deployments(prodResources).find(
      (deployment) => deployment.Properties.Include?.[0] === 'assets/*',
    );

    expect(assets?.Properties.Exclude).toEqual(['*']);
    expect(assets?.Properties.SystemMetadata).toEqual({
      'cache-control': HASHED_ASSET_CACHE_CONTROL,
    });
    expect(assets?.Properties.Prune).toBe(false);
  });

  it('never caches index.html and config.json', () => {
    const pages = deployments(prodResources).find(
      (deployment) => deployment.Properties.Exclude?.[0] === 'assets/*',
    );
    const [poolId] = onlyOfType(prodResources, 'AWS::Cognito::UserPool');
    const [clientId] = onlyOfType(prodResources, 'AWS::Cognito::UserPoolClient');

    expect(pages?.Properties.SystemMetadata).toEqual({
      'cache-control': UNHASHED_FILE_CACHE_CONTROL,
    });
    expect(pages?.Properties.SourceObjectKeys).toHaveLength(2);
    // The generated config.json fills in the pool, the client and the region at deploy time.
    expect(referencedIds(pages?.Properties.SourceMarkers)).toEqual(
      new Set(['AWS::Region', poolId, clientId]),
    );
    expect(pages?.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/DeployAssets/)]),
    );
  });

  it('uploads a placeholder without a build in dev', () => {
    const { stack } = synthesizeStack({}, '/nonexistent-web-dist');

    Annotations.fromStack(stack).hasWarning(
      '/Test/Web',
      Match.stringLikeRegexp('No SPA build in /nonexistent-web-dist'),
    );
  });
});

describe('scheduled jobs', () => {
  it('retry and keep failed events in a dead-letter queue', () => {
    const rules = ofType(prodResources, 'AWS::Events::Rule');
    expect(rules).toHaveLength(3);

    for (const [ruleId, rule] of rules) {
      const [target] = rule.Properties.Targets;
      const [functionId] = [...referencedIds(target.Arn)];
      const [queueId] = [...referencedIds(target.DeadLetterConfig.Arn)];
      const [, invokeConfig] = ofType(prodResources, 'AWS::Lambda::EventInvokeConfig').find(
        ([, config]) => referencedIds(config.Properties.FunctionName).has(functionId as string),
      ) as [string, Resource];

      expect(prodResources[queueId as string]?.Type, ruleId).toBe('AWS::SQS::Queue');
      expect(target.RetryPolicy.MaximumRetryAttempts, ruleId).toBeGreaterThanOrEqual(2);
      expect(invokeConfig.Properties.MaximumRetryAttempts, ruleId).toBe(2);
      expect(
        referencedIds(invokeConfig.Properties.DestinationConfig.OnFailure.Destination),
        ruleId,
      ).toEqual(new Set([queueId]));
    }
  });

  it('encrypt their queues and require TLS', () => {
    for (const [queueId, queue] of ofType(prodResources, 'AWS::SQS::Queue')) {
      const policy = ofType(prodResources, 'AWS::SQS::QueuePolicy').find(([, candidate]) =>
        referencedIds(candidate.Properties.Queues).has(queueId),
      )?.[1];

      expect(queue.Properties.SqsManagedSseEnabled, queueId).toBe(true);
      expect(JSON.stringify(policy?.Properties.PolicyDocument), queueId).toContain(
        'aws:SecureTransport',
      );
    }
  });
});

describe('monitoring', () => {
  function alarms(): Resource[] {
    return ofType(prodResources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm);
  }

  /** Metric names an alarm reads, directly or through metric math. */
  function metricNamesOf(alarm: Resource): string[] {
    if (alarm.Properties.MetricName) return [alarm.Properties.MetricName];
    return (alarm.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[])
      .filter((query) => query.MetricStat)
      .map((query) => query.MetricStat?.Metric.MetricName as string);
  }

  it('sends every alarm to the encrypted topic', () => {
    const [topicId, topic] = onlyOfType(prodResources, 'AWS::SNS::Topic');

    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) {
      expect(alarm.Properties.AlarmActions, alarm.Properties.AlarmDescription).toEqual([
        { Ref: topicId },
      ]);
    }
    prod.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: PROD_CONTEXT.alarmEmail,
    });
  });

  it('covers the 5xx rate, the table, rotation and the sweeper', () => {
    const readMetrics = alarms().map(metricNamesOf);

    expect(readMetrics).toContainEqual(['Count', '5XXError']);
    expect(readMetrics).toContainEqual(
      expect.arrayContaining(['ReadThrottleEvents', 'WriteThrottleEvents']),
    );
    expect(readMetrics).toContainEqual(['RotationFailed']);
    expect(readMetrics).toContainEqual(['HoldSweepLimitReached']);
    const backlog = alarms().find((alarm) => metricNamesOf(alarm)[0] === 'HoldSweepLimitReached');
    expect(backlog?.Properties.EvaluationPeriods).toBe(SWEEPER_BACKLOG_RUNS);
  });

  it('watches errors and throttles of every function', () => {
    const functionIds = new Set(houseFunctions(prodResources).map(([id]) => id));
    for (const metricName of ['Errors', 'Throttles']) {
      const watched = new Set<string>();
      for (const alarm of alarms()) {
        for (const query of alarm.Properties.Metrics ?? []) {
          const metric = query.MetricStat?.Metric;
          if (metric?.MetricName !== metricName || metric.Namespace !== 'AWS/Lambda') continue;
          for (const id of referencedIds(metric.Dimensions)) watched.add(id);
        }
      }

      expect(watched, metricName).toEqual(functionIds);
    }
  });

  it('alarms on each dead-letter queue', () => {
    const queueIds = ofType(prodResources, 'AWS::SQS::Queue').map(([id]) => id);
    const watched = alarms()
      .filter((alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')
      .flatMap((alarm) => [...referencedIds(alarm.Properties.Dimensions)]);

    expect(watched.sort()).toEqual(queueIds.sort());
  });

  it('derives metrics from the log lines handlers write', () => {
    const filters = ofType(prodResources, 'AWS::Logs::MetricFilter').map(([, filter]) => filter);

    for (const definition of LOG_METRICS) {
      const matching = filters.filter(
        (filter) => filter.Properties.MetricTransformations[0].MetricName === definition.metricName,
      );
      expect(matching, definition.metricName).toHaveLength(definition.handlers.length);
      for (const filter of matching) {
        for (const message of definition.messages) {
          expect(filter.Properties.FilterPattern).toContain(JSON.stringify(message));
        }
      }

      const sources = definition.sourceFiles
        .map((file) => readFileSync(`${FUNCTIONS_SOURCE}${file}`, 'utf8'))
        .join('\n');
      for (const message of definition.messages) {
        expect(sources, `${definition.metricName}: "${message}"`).toContain(`'${message}'`);
      }
      for (const field of [definition.value, ...Object.values(definition.dimensions ?? {})]) {
        if (field === undefined) continue;
        const name = field.replace(/^\$\./, '');
        expect(sources, `${definition.metricName}: ${field}`).toMatch(new RegExp(`\\b${name}\\b`));
      }
    }
  });

  it('graphs the proxy overhead metric that the AI handlers write', () => {
    for (const file of ['ai/chat-completions.service.ts', 'ai/embeddings.service.ts']) {
      const source = readFileSync(`${FUNCTIONS_SOURCE}${file}`, 'utf8');
      expect(source, file).toContain(`addMetric('${PROXY_OVERHEAD_METRIC}'`);
    }
    const [, dashboard] = onlyOfType(prodResources, 'AWS::CloudWatch::Dashboard');
    expect(joined(dashboard.Properties.DashboardBody)).toContain(PROXY_OVERHEAD_METRIC);
  });

  it('has a dashboard', () => {
    const [, dashboard] = onlyOfType(prodResources, 'AWS::CloudWatch::Dashboard');
    const body = joined(dashboard.Properties.DashboardBody);

    for (const metricName of [
      'AiCalls',
      'CreditsSpent',
      'AiRefusals',
      'UpstreamErrors',
      '5XXError',
    ]) {
      expect(body, metricName).toContain(metricName);
    }
  });
});
