import {
  customAttributes,
  PLATFORM_ADMIN_KEY_SECRET_NAME,
  PLATFORM_KEY_SECRET_NAME,
  type RouteDefinition,
  routes,
  tableLayout,
} from '@creditgate/shared';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebBuild, PROD_CONTEXT, synthesizeStack } from '../test/template-fixtures';
import {
  API_STAGE_NAME,
  COGNITO_ACTIONS_BY_HANDLER,
  PLATFORM_KEY_ACCESS_BY_HANDLER,
  PLATFORM_KEY_HANDLERS,
  READ_ONLY_HANDLERS,
  TENANT_KEY_ACTIONS_BY_HANDLER,
  TENANT_KEY_SECRET_PREFIX,
} from './api';
import { FUNCTION_RUNTIME, TABLE_WRITE_ACTIONS } from './creditgate-function';
import { DEFAULT_OPENAI_BASE_URL } from './creditgate-stack';
import {
  HOLD_SWEEPER_TABLE_ACTIONS,
  KEY_REVOCATION_TABLE_ACTIONS,
  MONTHLY_GRANT_TABLE_ACTIONS,
} from './jobs';
import { ROTATION_TABLE_ACTIONS } from './platform-key';

// biome-ignore lint/suspicious/noExplicitAny: template properties are untyped JSON that the tests navigate by key.
type Resource = { Type: string; Properties: Record<string, any>; [key: string]: unknown };
type Resources = Record<string, Resource>;

/** The variables every API handler reads (triggers get fewer, see below). */
const API_ENVIRONMENT = [
  'TABLE_NAME',
  'USER_POOL_ID',
  'USER_POOL_CLIENT_ID',
  'PLATFORM_KEY_SECRET_ID',
  'OPENAI_BASE_URL',
  'WEB_URL',
  'POWERTOOLS_SERVICE_NAME',
];

/** The upstream proxy's default total timeout, which streaming limits must exceed. */
const PROXY_TOTAL_TIMEOUT_MS = 840_000;

const webDistPath = createWebBuild();

/** Synthesizes a `dev` stack with `context`. */
function synthesize(context: Record<string, unknown> = {}): Template {
  return synthesizeStack(context, webDistPath).template;
}

/** The production stack with every optional setting, which most tests inspect. */
let template: Template;
let resources: Resources;

beforeAll(() => {
  template = synthesize(PROD_CONTEXT);
  resources = template.toJSON().Resources as Resources;
});

function resourcesOfType(type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** The house functions, whose descriptions start with `Creditgate `. */
function houseFunctions(): [string, Resource][] {
  return resourcesOfType('AWS::Lambda::Function').filter(([, resource]) =>
    String(resource.Properties.Description ?? '').startsWith('Creditgate '),
  );
}

/** The resource referenced by `Ref` or `Fn::GetAtt` in `value`, which must be exactly one. */
function onlyReferenced(value: unknown): [string, Resource] {
  const ids = [...referencedIds(value)].filter((id) => resources[id] !== undefined);
  expect(ids).toHaveLength(1);
  return [ids[0] as string, resources[ids[0] as string] as Resource];
}

function onlyResource(type: string): Resource {
  const matches = resourcesOfType(type);
  expect(matches).toHaveLength(1);
  return (matches[0] as [string, Resource])[1];
}

/** Finds a function by the description the house construct gives it. */
function functionFor(description: string): [string, Resource] {
  const match = resourcesOfType('AWS::Lambda::Function').find(
    ([, resource]) => resource.Properties.Description === `Creditgate ${description}`,
  );
  if (!match) throw new Error(`No function described as "Creditgate ${description}"`);
  return match;
}

function routeFunction(route: RouteDefinition): [string, Resource] {
  return functionFor(`${route.method} ${route.path}`);
}

/** Collects every action of every IAM policy attached to the function's role. */
function roleActions(functionResource: Resource): string[] {
  const roleId = functionResource.Properties.Role['Fn::GetAtt'][0] as string;
  return resourcesOfType('AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as { Ref?: string }[]).some((role) => role.Ref === roleId),
    )
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement)
    .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
}

/** The statements of every IAM policy attached to the function's role. */
function roleStatements(
  functionResource: Resource,
): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const roleId = functionResource.Properties.Role['Fn::GetAtt'][0] as string;
  return resourcesOfType('AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as { Ref?: string }[]).some((role) => role.Ref === roleId),
    )
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

/** Actions the function's role may take on the resource with logical id `resourceId`. */
function actionsOn(functionResource: Resource, resourceId: string): string[] {
  return roleStatements(functionResource)
    .filter((statement) => referencedIds(statement.Resource).has(resourceId))
    .flatMap((statement) => [statement.Action].flat());
}

/** Finds a secret by its name. */
function secretNamed(name: string): [string, Resource] {
  const match = resourcesOfType('AWS::SecretsManager::Secret').find(
    ([, secret]) => secret.Properties.Name === name,
  );
  if (!match) throw new Error(`No secret named ${name}`);
  return match;
}

/** The KMS key of the platform key secrets. */
function platformKeyKey(): [string, Resource] {
  const [, secret] = secretNamed(PLATFORM_KEY_SECRET_NAME);
  return onlyReferenced(secret.Properties.KmsKeyId);
}

/** The site bucket: the origin of the distribution's default behavior. */
function siteBucket(): [string, Resource] {
  const config = onlyResource('AWS::CloudFront::Distribution').Properties.DistributionConfig;
  const defaultOrigin = config.Origins.find(
    (origin: { Id: string }) => origin.Id === config.DefaultCacheBehavior.TargetOriginId,
  );
  return onlyReferenced(defaultOrigin.DomainName);
}

/** Full path of each API Gateway resource, keyed by logical id (the root is ``). */
function resourcePaths(): Map<string, string> {
  const apiResources = resourcesOfType('AWS::ApiGateway::Resource');
  const paths = new Map<string, string>();
  const pathOf = (logicalId: string): string => {
    const known = paths.get(logicalId);
    if (known !== undefined) return known;
    const resource = resources[logicalId] as Resource;
    const parent = resource.Properties.ParentId as { Ref?: string };
    const parentPath = parent.Ref ? pathOf(parent.Ref) : '';
    const path = `${parentPath}/${resource.Properties.PathPart}`;
    paths.set(logicalId, path);
    return path;
  };
  for (const [logicalId] of apiResources) pathOf(logicalId);
  return paths;
}

function methodFor(route: RouteDefinition): Resource {
  const paths = resourcePaths();
  const matches = resourcesOfType('AWS::ApiGateway::Method').filter(([, method]) => {
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

describe('stack', () => {
  it('synthesizes without a dependency cycle', () => {
    expect(() => synthesize()).not.toThrow();
  });
});

describe('data table', () => {
  it('uses the shared key layout', () => {
    const table = onlyResource('AWS::DynamoDB::GlobalTable');

    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: tableLayout.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableLayout.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('has gsi1 with all attributes projected', () => {
    const table = onlyResource('AWS::DynamoDB::GlobalTable');

    expect(table.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('enables PITR and TTL and is retained', () => {
    const table = onlyResource('AWS::DynamoDB::GlobalTable');
    const [replica] = table.Properties.Replicas;
    expect(table.Properties.Replicas).toHaveLength(1);

    expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(replica.DeletionProtectionEnabled).toBe(true);
    expect(table.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
    expect(table.DeletionPolicy).toBe('Retain');
  });
});

describe('user pool', () => {
  it('signs in by email with admin-created users only', () => {
    const pool = onlyResource('AWS::Cognito::UserPool');

    expect(pool.Properties.UsernameAttributes).toEqual(['email']);
    expect(pool.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('has a strict password policy', () => {
    const pool = onlyResource('AWS::Cognito::UserPool');

    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
  });

  it('has immutable tenantId and mutable role', () => {
    const pool = onlyResource('AWS::Cognito::UserPool');

    expect(pool.Properties.Schema).toEqual(
      expect.arrayContaining([
        { Name: customAttributes.tenantId.name, AttributeDataType: 'String', Mutable: false },
        { Name: customAttributes.role.name, AttributeDataType: 'String', Mutable: true },
      ]),
    );
  });

  it('wires the CustomMessage and PostAuthentication triggers', () => {
    const pool = onlyResource('AWS::Cognito::UserPool');
    const [customMessageId] = functionFor('triggers/custom-message');
    const [postAuthenticationId] = functionFor('triggers/post-authentication');

    expect(pool.Properties.LambdaConfig).toEqual({
      CustomMessage: { 'Fn::GetAtt': [customMessageId, 'Arn'] },
      PostAuthentication: { 'Fn::GetAtt': [postAuthenticationId, 'Arn'] },
    });
  });

  it('lets Cognito invoke each trigger', () => {
    for (const handler of ['triggers/custom-message', 'triggers/post-authentication']) {
      const [functionId] = functionFor(handler);
      template.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
      });
    }
  });
});

describe('SPA client', () => {
  it('has no secret and only password and refresh flows', () => {
    const client = onlyResource('AWS::Cognito::UserPoolClient');

    expect(client.Properties.GenerateSecret).toBe(false);
    expect([...client.Properties.ExplicitAuthFlows].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
    ]);
  });

  it('has no OAuth flows or callback URLs', () => {
    const client = onlyResource('AWS::Cognito::UserPoolClient');

    expect(client.Properties.AllowedOAuthFlowsUserPoolClient).not.toBe(true);
    expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(client.Properties.AllowedOAuthScopes).toBeUndefined();
    expect(client.Properties.CallbackURLs).toBeUndefined();
    expect(client.Properties.LogoutURLs).toBeUndefined();
  });

  it('reads both custom attributes', () => {
    const client = onlyResource('AWS::Cognito::UserPoolClient');

    expect(client.Properties.ReadAttributes).toEqual(
      expect.arrayContaining(['custom:tenantId', 'custom:role', 'email']),
    );
  });

  it('writes neither custom attribute nor the email', () => {
    const client = onlyResource('AWS::Cognito::UserPoolClient');
    const writeAttributes = client.Properties.WriteAttributes as string[];

    expect(writeAttributes.length).toBeGreaterThan(0);
    expect(writeAttributes).not.toContain('custom:tenantId');
    expect(writeAttributes).not.toContain('custom:role');
    expect(writeAttributes).not.toContain('email');
  });
});

describe('REST API', () => {
  it('has one method per route and no other', () => {
    for (const route of routes) methodFor(route);

    expect(resourcesOfType('AWS::ApiGateway::Method')).toHaveLength(routes.length);
  });

  it('integrates each route with its own function', () => {
    for (const route of routes) {
      const integration = methodFor(route).Properties.Integration;
      const [functionId] = routeFunction(route);

      expect(integration.Type, route.path).toBe('AWS_PROXY');
      expect(integration.IntegrationHttpMethod, route.path).toBe('POST');
      expect(referencedIds(integration.Uri), route.path).toContain(functionId);
    }
  });

  it('deploys the stage api', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: API_STAGE_NAME });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it('streams the chat route', () => {
    const streamingRoutes = routes.filter((route) => route.isStreaming);
    expect(streamingRoutes.map((route) => route.path)).toContain('/v1/chat/completions');

    for (const route of streamingRoutes) {
      const integration = methodFor(route).Properties.Integration;
      const uri = JSON.stringify(integration.Uri);

      expect(integration.ResponseTransferMode).toBe('STREAM');
      expect(uri).toContain(':lambda:path/2021-11-15/functions/');
      expect(uri).toContain('/response-streaming-invocations');
      expect(integration.TimeoutInMillis).toBeGreaterThan(PROXY_TOTAL_TIMEOUT_MS);
      expect(integration.TimeoutInMillis).toBeLessThanOrEqual(15 * 60_000);
    }
  });

  it('gives the streaming function time beyond the proxy timeout', () => {
    for (const route of routes.filter((candidate) => candidate.isStreaming)) {
      const [, streamingFunction] = routeFunction(route);
      const { Timeout, Environment } = streamingFunction.Properties;

      expect(Timeout * 1000).toBeGreaterThan(PROXY_TOTAL_TIMEOUT_MS);
      expect(Number(Environment.Variables.AI_UPSTREAM_TOTAL_TIMEOUT_MS)).toBeLessThan(
        Timeout * 1000,
      );
    }
  });

  it('buffers every other route', () => {
    for (const route of routes.filter((candidate) => !candidate.isStreaming)) {
      const integration = methodFor(route).Properties.Integration;

      expect(integration.ResponseTransferMode, route.path).toBeUndefined();
      expect(JSON.stringify(integration.Uri), route.path).toContain('/invocations');
      expect(JSON.stringify(integration.Uri), route.path).not.toContain('response-streaming');
    }
  });

  it('puts no authorizer on public routes', () => {
    const publicRoutes = routes.filter((route) => route.isPublic);
    expect(publicRoutes.map((route) => route.path)).toContain('/v1/openapi.json');

    for (const route of publicRoutes) {
      const { AuthorizationType, AuthorizerId } = methodFor(route).Properties;

      expect([undefined, 'NONE'], route.path).toContain(AuthorizationType);
      expect(AuthorizerId, route.path).toBeUndefined();
    }
  });

  it('answers unknown routes with 404 NOT_FOUND', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"NOT_FOUND"') },
    });
  });
});

describe('functions', () => {
  it('exist for every route, triggers, jobs and rotation', () => {
    // Two Cognito triggers, three scheduled jobs and the key rotation function.
    expect(houseFunctions()).toHaveLength(routes.length + 2 + 3 + 1);
    // The one other function is BucketDeployment's upload function.
    expect(resourcesOfType('AWS::Lambda::Function')).toHaveLength(routes.length + 2 + 3 + 1 + 1);
  });

  it('use the house runtime, ARM64 and tracing', () => {
    expect(FUNCTION_RUNTIME.name).toBe('nodejs26.x');
    for (const [id, lambdaFunction] of houseFunctions()) {
      expect(lambdaFunction.Properties.Runtime, id).toBe(FUNCTION_RUNTIME.name);
      expect(lambdaFunction.Properties.Architectures, id).toEqual(['arm64']);
      expect(lambdaFunction.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
    }
  });

  it('log to a group with retention', () => {
    for (const [id, lambdaFunction] of resourcesOfType('AWS::Lambda::Function')) {
      const logGroupId = lambdaFunction.Properties.LoggingConfig?.LogGroup?.Ref as string;
      const logGroup = resources[logGroupId];

      expect(logGroup?.Type, id).toBe('AWS::Logs::LogGroup');
      expect(logGroup?.Properties.RetentionInDays, id).toBeGreaterThan(0);
    }
  });

  it('never set CREDITGATE_LOCAL', () => {
    for (const [id, lambdaFunction] of resourcesOfType('AWS::Lambda::Function')) {
      const variables = lambdaFunction.Properties.Environment?.Variables ?? {};

      expect(Object.keys(variables), id).not.toContain('CREDITGATE_LOCAL');
    }
  });

  it('give API handlers their environment', () => {
    for (const route of routes) {
      const [, routeHandler] = routeFunction(route);
      const variables = routeHandler.Properties.Environment.Variables;

      expect(Object.keys(variables), route.path).toEqual(expect.arrayContaining(API_ENVIRONMENT));
      expect(variables.OPENAI_BASE_URL).toBe(DEFAULT_OPENAI_BASE_URL);
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe('creditgate');
    }
  });

  it('load no tracer in the AI functions only', () => {
    for (const route of routes) {
      const [, routeHandler] = routeFunction(route);
      const variables = routeHandler.Properties.Environment.Variables;

      expect(variables.POWERTOOLS_TRACE_ENABLED, route.path).toBe(
        route.errorShape === 'openai' ? 'false' : undefined,
      );
      expect(routeHandler.Properties.TracingConfig?.Mode, route.path).toBe('Active');
    }
  });

  it('keep the pool id out of the triggers', () => {
    for (const handler of ['triggers/custom-message', 'triggers/post-authentication']) {
      const [, trigger] = functionFor(handler);
      const variables = trigger.Properties.Environment.Variables;

      expect(Object.keys(variables).sort(), handler).toEqual(
        [
          'NODE_OPTIONS',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_SERVICE_NAME',
          'TABLE_NAME',
          'WEB_URL',
        ].sort(),
      );
    }
  });

  it('take openaiBaseUrl from the context', () => {
    const custom = synthesize({ openaiBaseUrl: 'https://llm.example.test/v1' });
    const chat = Object.values(custom.findResources('AWS::Lambda::Function')).find(
      (resource) => resource.Properties.Description === 'Creditgate POST /v1/chat/completions',
    );

    expect(chat?.Properties.Environment.Variables.OPENAI_BASE_URL).toBe(
      'https://llm.example.test/v1',
    );
  });

  it('reject a plain-HTTP openaiBaseUrl', () => {
    expect(() => synthesize({ openaiBaseUrl: 'http://llm.example.test/v1' })).toThrow(
      /must use https/,
    );
  });
});

describe('IAM', () => {
  it('grants GET and read-only handlers read-only table access', () => {
    expect(READ_ONLY_HANDLERS).toContain('credits/verify-ledger');
    for (const route of routes) {
      const actions = roleActions(routeFunction(route)[1]);
      const isReadOnly = route.method === 'GET' || READ_ONLY_HANDLERS.includes(route.handler);

      expect(actions, route.path).toContain('dynamodb:Query');
      for (const writeAction of TABLE_WRITE_ACTIONS) {
        if (isReadOnly) expect(actions, route.path).not.toContain(writeAction);
        else expect(actions, route.path).toContain(writeAction);
      }
    }
  });

  it('grants inviting handlers AdminCreateUser and AdminDeleteUser', () => {
    for (const handler of ['users/invite-user', 'tenants/create-tenant']) {
      expect(COGNITO_ACTIONS_BY_HANDLER[handler], handler).toEqual([
        'cognito-idp:AdminCreateUser',
        'cognito-idp:AdminDeleteUser',
      ]);
    }
  });

  it('grants Cognito admin actions only where listed', () => {
    for (const route of routes) {
      const cognitoActions = roleActions(routeFunction(route)[1]).filter((action) =>
        action.startsWith('cognito-idp:'),
      );

      expect(cognitoActions.sort(), route.handler).toEqual(
        [...(COGNITO_ACTIONS_BY_HANDLER[route.handler] ?? [])].sort(),
      );
    }
  });

  it('scopes Cognito admin actions to the pool', () => {
    const [poolId] = resourcesOfType('AWS::Cognito::UserPool')[0] as [string, Resource];
    const cognitoStatements = resourcesOfType('AWS::IAM::Policy')
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement)
      .filter((statement: { Action: string | string[] }) =>
        [statement.Action].flat().some((action) => action.startsWith('cognito-idp:')),
      );

    expect(cognitoStatements.length).toBeGreaterThan(0);
    for (const statement of cognitoStatements) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [poolId, 'Arn'] });
    }
  });

  it('lets only the AI call handlers read the platform key', () => {
    const [secretId] = secretNamed(PLATFORM_KEY_SECRET_NAME);
    for (const route of routes) {
      const actions = roleActions(routeFunction(route)[1]);
      const canRead = PLATFORM_KEY_HANDLERS.includes(route.handler);

      if (canRead) expect(actions, route.handler).toContain('secretsmanager:GetSecretValue');
      else expect(actions, route.handler).not.toContain('secretsmanager:GetSecretValue');
    }
    expect(PLATFORM_KEY_HANDLERS).toEqual(['ai/chat-completions', 'ai/embeddings']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: secretId } },
        ]),
      },
    });
  });

  it('scopes tenant key access to the tenant secret prefix', () => {
    for (const route of routes) {
      const statements = roleStatements(routeFunction(route)[1]).filter((statement) =>
        JSON.stringify(statement.Resource).includes(TENANT_KEY_SECRET_PREFIX),
      );
      const actions = statements.flatMap((statement) => [statement.Action].flat()).sort();
      const expected = [...(TENANT_KEY_ACTIONS_BY_HANDLER[route.handler] ?? [])].sort();

      expect(actions, route.handler).toEqual(expected);
      for (const statement of statements) {
        expect(JSON.stringify(statement.Resource), route.handler).toContain(
          `:secret:${TENANT_KEY_SECRET_PREFIX}*`,
        );
      }
    }
  });

  it('has no wildcard actions', () => {
    const policyDocuments = [
      ...resourcesOfType('AWS::IAM::Policy').map(([, policy]) => policy.Properties.PolicyDocument),
      ...resourcesOfType('AWS::IAM::ManagedPolicy').map(
        ([, policy]) => policy.Properties.PolicyDocument,
      ),
      ...resourcesOfType('AWS::IAM::Role').flatMap(([, role]) =>
        (role.Properties.Policies ?? []).map(
          (policy: { PolicyDocument: unknown }) => policy.PolicyDocument,
        ),
      ),
    ];
    const actions = policyDocuments
      .flatMap((document) => document.Statement)
      .flatMap((statement: { Action?: string | string[] }) => [statement.Action ?? []].flat());

    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      expect(action).not.toBe('*');
      expect(action).not.toMatch(/^[a-z0-9-]+:\*$/);
    }
  });
});

describe('scheduled jobs', () => {
  const jobs = [
    {
      description: 'job: release expired holds',
      schedule: 'rate(5 minutes)',
      tableActions: HOLD_SWEEPER_TABLE_ACTIONS,
    },
    {
      description: 'job: grant monthly plan credits',
      schedule: 'cron(5 0 1 * ? *)',
      tableActions: MONTHLY_GRANT_TABLE_ACTIONS,
    },
  ];

  /** The rules whose targets include the function. */
  function rulesTargeting(functionId: string): Resource[] {
    return resourcesOfType('AWS::Events::Rule')
      .map(([, rule]) => rule)
      .filter((rule) =>
        (rule.Properties.Targets as { Arn: unknown }[]).some((target) =>
          referencedIds(target.Arn).has(functionId),
        ),
      );
  }

  it.each(jobs)('runs $description on $schedule', ({ description, schedule }) => {
    const [functionId] = functionFor(description);

    const rules = rulesTargeting(functionId);

    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties.ScheduleExpression).toBe(schedule);
    expect(rules[0]?.Properties.State).toBe('ENABLED');
  });

  it.each(jobs)('lets EventBridge invoke $description', ({ description }) => {
    const [functionId] = functionFor(description);
    const [ruleId] = resourcesOfType('AWS::Events::Rule').find(([, rule]) =>
      (rule.Properties.Targets as { Arn: unknown }[]).some((target) =>
        referencedIds(target.Arn).has(functionId),
      ),
    ) as [string, Resource];

    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });

  it.each(jobs)('gives $description only its table actions', ({ description, tableActions }) => {
    const [, jobFunction] = functionFor(description);

    const actions = roleActions(jobFunction).filter((action) => action.startsWith('dynamodb:'));

    expect(actions.sort()).toEqual([...tableActions].sort());
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:DeleteItem');
  });

  it.each(jobs)('gives $description only the table environment', ({ description }) => {
    const [, jobFunction] = functionFor(description);
    const variables = jobFunction.Properties.Environment.Variables;

    expect(Object.keys(variables).sort()).toEqual(
      [
        'NODE_OPTIONS',
        'POWERTOOLS_METRICS_NAMESPACE',
        'POWERTOOLS_SERVICE_NAME',
        'TABLE_NAME',
      ].sort(),
    );
  });

  it('ends a sweep before the next one starts', () => {
    const [, sweeper] = functionFor('job: release expired holds');

    expect(sweeper.Properties.Timeout).toBeLessThan(5 * 60);
  });
});

describe('platform key secret', () => {
  it('holds a generated apiKey under a customer-managed key', () => {
    const [, secret] = secretNamed(PLATFORM_KEY_SECRET_NAME);
    const [keyId, key] = platformKeyKey();

    expect(secret.Properties.GenerateSecretString).toMatchObject({
      GenerateStringKey: 'apiKey',
      SecretStringTemplate: '{}',
    });
    expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('keeps the admin key in its own secret', () => {
    const [, adminSecret] = secretNamed(PLATFORM_ADMIN_KEY_SECRET_NAME);
    const [keyId] = platformKeyKey();

    expect(adminSecret.Properties.GenerateSecretString).toMatchObject({
      GenerateStringKey: 'adminKey',
    });
    expect(adminSecret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(adminSecret.DeletionPolicy).toBe('Retain');
  });

  it('lets only the AI call and rotation functions read the key value', () => {
    const [secretId] = secretNamed(PLATFORM_KEY_SECRET_NAME);
    const [rotationId] = functionFor('platform key rotation');
    const [chatId] = functionFor('POST /v1/chat/completions');
    const [embeddingsId] = functionFor('POST /v1/embeddings');
    const roleOf = (functionId: string) =>
      (resources[functionId] as Resource).Properties.Role['Fn::GetAtt'][0] as string;

    const readerRoles = resourcesOfType('AWS::IAM::Policy')
      .filter(([, policy]) =>
        (
          policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]
        ).some(
          (statement) =>
            [statement.Action].flat().includes('secretsmanager:GetSecretValue') &&
            referencedIds(statement.Resource).has(secretId),
        ),
      )
      .flatMap(([, policy]) => (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));

    expect(readerRoles.sort()).toEqual(
      [roleOf(chatId), roleOf(embeddingsId), roleOf(rotationId)].sort(),
    );
  });

  it('lets only rotation and revocation read the admin key', () => {
    const [adminSecretId] = secretNamed(PLATFORM_ADMIN_KEY_SECRET_NAME);
    const readers = resourcesOfType('AWS::Lambda::Function')
      .filter(([, lambdaFunction]) =>
        actionsOn(lambdaFunction, adminSecretId).includes('secretsmanager:GetSecretValue'),
      )
      .map(([, lambdaFunction]) => lambdaFunction.Properties.Description);

    expect(readers.sort()).toEqual([
      'Creditgate job: revoke replaced platform keys',
      'Creditgate platform key rotation',
    ]);
  });
});

describe('platform key rotation', () => {
  it('rotates on a 30-day schedule without rotating at deploy', () => {
    const schedule = onlyResource('AWS::SecretsManager::RotationSchedule');
    const [secretId] = secretNamed(PLATFORM_KEY_SECRET_NAME);
    const [rotationId] = functionFor('platform key rotation');

    expect(schedule.Properties.SecretId).toEqual({ Ref: secretId });
    expect(schedule.Properties.RotationLambdaARN).toEqual({ 'Fn::GetAtt': [rotationId, 'Arn'] });
    expect(schedule.Properties.RotationRules).toEqual({ ScheduleExpression: 'rate(30 days)' });
    expect(schedule.Properties.RotateImmediatelyOnUpdate).toBe(false);
  });

  it('takes keyRotationDays from the context', () => {
    const custom = synthesize({ keyRotationDays: '7' });

    custom.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(7 days)' },
    });
  });

  it('rejects keyRotationDays outside 1 to 1000', () => {
    expect(() => synthesize({ keyRotationDays: 0 })).toThrow(/keyRotationDays/);
    expect(() => synthesize({ keyRotationDays: 1001 })).toThrow(/keyRotationDays/);
  });

  it('rejects a keyRotationDays that is no number', () => {
    expect(() => synthesize({ keyRotationDays: 'monthly' })).toThrow(
      /keyRotationDays must be a number/,
    );
  });

  it('lets Secrets Manager invoke the rotation function', () => {
    const [rotationId] = functionFor('platform key rotation');

    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [rotationId, 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
    });
  });

  it('gives rotation only the rotation actions on the key', () => {
    const [secretId] = secretNamed(PLATFORM_KEY_SECRET_NAME);
    const [adminSecretId] = secretNamed(PLATFORM_ADMIN_KEY_SECRET_NAME);
    const [, rotation] = functionFor('platform key rotation');

    expect(actionsOn(rotation, secretId).sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ]);
    expect(actionsOn(rotation, adminSecretId)).toEqual(['secretsmanager:GetSecretValue']);
    expect(roleActions(rotation)).not.toContain('secretsmanager:RotateSecret');
  });

  it('gives rotation only its table actions', () => {
    const [tableId] = resourcesOfType('AWS::DynamoDB::GlobalTable')[0] as [string, Resource];
    const [, rotation] = functionFor('platform key rotation');

    expect(actionsOn(rotation, tableId).sort()).toEqual([...ROTATION_TABLE_ACTIONS].sort());
  });

  it('uses the key through Secrets Manager only', () => {
    const [keyId, key] = platformKeyKey();
    const [, rotation] = functionFor('platform key rotation');
    const roleId = rotation.Properties.Role['Fn::GetAtt'][0] as string;
    const keyPolicyStatement = (
      key.Properties.KeyPolicy.Statement as { Principal: unknown; Condition?: unknown }[]
    ).find((statement) => referencedIds(statement.Principal).has(roleId));
    const roleKeyStatements = roleStatements(rotation).filter((statement) =>
      referencedIds(statement.Resource).has(keyId),
    );

    expect(keyPolicyStatement?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': expect.anything() },
    });
    for (const statement of roleKeyStatements) {
      expect(statement.Condition).toEqual({
        StringEquals: { 'kms:ViaService': expect.anything() },
      });
    }
  });

  it('gives rotation the admin secret and upstream', () => {
    const [adminSecretId] = secretNamed(PLATFORM_ADMIN_KEY_SECRET_NAME);
    const [, rotation] = functionFor('platform key rotation');
    const variables = rotation.Properties.Environment.Variables;

    expect(variables.OPENAI_ADMIN_KEY_SECRET_ID).toEqual({ Ref: adminSecretId });
    expect(variables.OPENAI_BASE_URL).toBe(DEFAULT_OPENAI_BASE_URL);
    expect(variables).not.toHaveProperty('OPENAI_PROJECT_ID');
  });

  it('takes openaiProjectId from the context', () => {
    const custom = synthesize({ openaiProjectId: 'proj_test' });
    const rotation = Object.values(custom.findResources('AWS::Lambda::Function')).find(
      (resource) => resource.Properties.Description === 'Creditgate platform key rotation',
    );

    expect(rotation?.Properties.Environment.Variables.OPENAI_PROJECT_ID).toBe('proj_test');
  });

  it('alarms on one RotationFailed', () => {
    const alarms = resourcesOfType('AWS::CloudWatch::Alarm').filter(
      ([, alarm]) => alarm.Properties.MetricName === 'RotationFailed',
    );
    expect(alarms).toHaveLength(1);
    const [, alarm] = alarms[0] as [string, Resource];

    expect(alarm.Properties).toMatchObject({
      Namespace: 'Creditgate',
      MetricName: 'RotationFailed',
      Dimensions: [{ Name: 'service', Value: 'creditgate' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('platform key routes', () => {
  const routeOf = (handler: string) => {
    const route = routes.find((candidate) => candidate.handler === handler);
    if (!route) throw new Error(`No route for ${handler}`);
    return routeFunction(route)[1];
  };

  it('cover every key route of the table', () => {
    const keyHandlers = routes
      .filter((route) => route.path.startsWith('/v1/platform/ai-key'))
      .map((route) => route.handler);

    expect(keyHandlers.sort()).toEqual(Object.keys(PLATFORM_KEY_ACCESS_BY_HANDLER).sort());
  });

  it('let the status route only describe the secret', () => {
    const [secretId] = secretNamed(PLATFORM_KEY_SECRET_NAME);
    const getStatus = routeOf('keys/get-platform-key');

    const [platformKeyId] = platformKeyKey();

    expect(actionsOn(getStatus, secretId)).toEqual(['secretsmanager:DescribeSecret']);
    expect(actionsOn(getStatus, platformKeyId)).toEqual([]);
  });

  it('let Rotate now start a rotation', () => {
    const [secretId] = secretNamed(PLATFORM_KEY_SECRET_NAME);
    const [rotationId] = functionFor('platform key rotation');
    const rotateNow = routeOf('keys/start-platform-key-rotation');

    expect(actionsOn(rotateNow, secretId).sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:RotateSecret',
    ]);
    expect(actionsOn(rotateNow, rotationId)).toEqual(['lambda:InvokeFunction']);
  });

  it('let a submission write but not read', () => {
    const [secretId] = secretNamed(PLATFORM_KEY_SECRET_NAME);
    const [keyId] = platformKeyKey();
    const submit = routeOf('keys/submit-platform-key');

    expect(actionsOn(submit, secretId).sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:PutSecretValue',
      'secretsmanager:RotateSecret',
      'secretsmanager:UpdateSecretVersionStage',
    ]);
    expect(actionsOn(submit, keyId).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
});

describe('key revocation job', () => {
  it('runs every 15 minutes', () => {
    const [functionId] = functionFor('job: revoke replaced platform keys');
    const rules = resourcesOfType('AWS::Events::Rule').filter(([, rule]) =>
      (rule.Properties.Targets as { Arn: unknown }[]).some((target) =>
        referencedIds(target.Arn).has(functionId),
      ),
    );

    expect(rules).toHaveLength(1);
    expect(rules[0]?.[1].Properties.ScheduleExpression).toBe('rate(15 minutes)');
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('lists versions but never reads the key', () => {
    const [secretId] = secretNamed(PLATFORM_KEY_SECRET_NAME);
    const [tableId] = resourcesOfType('AWS::DynamoDB::GlobalTable')[0] as [string, Resource];
    const [, job] = functionFor('job: revoke replaced platform keys');

    expect(actionsOn(job, secretId)).toEqual(['secretsmanager:ListSecretVersionIds']);
    expect(actionsOn(job, tableId).sort()).toEqual([...KEY_REVOCATION_TABLE_ACTIONS].sort());
  });

  it('waits 60 minutes by default', () => {
    const [, job] = functionFor('job: revoke replaced platform keys');

    expect(job.Properties.Environment.Variables.KEY_REVOKE_GRACE_MINUTES).toBe('60');
  });

  it('takes keyRevokeGraceMinutes from the context', () => {
    const custom = synthesize({ keyRevokeGraceMinutes: '120' });
    const job = Object.values(custom.findResources('AWS::Lambda::Function')).find(
      (resource) =>
        resource.Properties.Description === 'Creditgate job: revoke replaced platform keys',
    );

    expect(job?.Properties.Environment.Variables.KEY_REVOKE_GRACE_MINUTES).toBe('120');
  });

  it('rejects a grace below 2 minutes', () => {
    expect(() => synthesize({ keyRevokeGraceMinutes: 1 })).toThrow(/keyRevokeGraceMinutes/);
  });
});

describe('web hosting', () => {
  it('keeps every bucket private, encrypted and SSL-only', () => {
    const buckets = resourcesOfType('AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);

    for (const [bucketId, bucket] of buckets) {
      const policy = resourcesOfType('AWS::S3::BucketPolicy').find(([, candidate]) =>
        referencedIds(candidate.Properties.Bucket).has(bucketId),
      )?.[1];

      expect(bucket.Properties.PublicAccessBlockConfiguration, bucketId).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption, bucketId).toBeDefined();
      expect(policy?.Properties.PolicyDocument.Statement, bucketId).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    }
  });

  it('reads the site bucket through an origin access control', () => {
    const distribution = onlyResource('AWS::CloudFront::Distribution');
    const [oacId, oac] = resourcesOfType('AWS::CloudFront::OriginAccessControl')[0] as [
      string,
      Resource,
    ];
    const [bucketId, bucket] = siteBucket();
    const s3Origin = distribution.Properties.DistributionConfig.Origins.find(
      (origin: { DomainName: unknown }) => referencedIds(origin.DomainName).has(bucketId),
    );

    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
    });
    expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(bucket.Properties.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
    expect(distribution.Properties.DistributionConfig.DefaultRootObject).toBe('index.html');
  });

  it('routes /v1/* to the API stage uncached', () => {
    const config = onlyResource('AWS::CloudFront::Distribution').Properties.DistributionConfig;
    const [restApiId] = resourcesOfType('AWS::ApiGateway::RestApi')[0] as [string, Resource];
    const apiBehavior = config.CacheBehaviors.find(
      (behavior: { PathPattern: string }) => behavior.PathPattern === '/v1/*',
    );
    const apiOrigin = config.Origins.find(
      (origin: { Id: string }) => origin.Id === apiBehavior.TargetOriginId,
    );

    expect(referencedIds(apiOrigin.DomainName)).toContain(restApiId);
    expect(apiOrigin.OriginPath).toBe(`/${API_STAGE_NAME}`);
    // CloudFront's managed CachingDisabled policy.
    expect(apiBehavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(apiBehavior.AllowedMethods).toContain('POST');
  });
});
