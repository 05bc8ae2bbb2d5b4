import { type RouteDefinition, routes } from '@creditgate/shared';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type MethodOptions,
  ResponseTransferMode,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { CreditgateFunction } from './creditgate-function';
import type { Identity } from './identity';
import { acknowledgeFinding, acknowledgeWildcardResource } from './nag';
import type { PlatformKey } from './platform-key';
import type { MailSettings } from './stage-config';

/**
 * Stage name. The route table's paths already start with `/v1`, so the resources carry the
 * full path and the stage is a neutral prefix, as in
 * `https://<id>.execute-api.<region>.amazonaws.com/api/v1/me`.
 */
export const API_STAGE_NAME = 'api';

/** Prefix of every route path, routed by CloudFront to the API. */
export const API_BASE_PATH = '/v1';

const inviteActions = ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUser'];

/**
 * Cognito admin actions each handler calls through `identity/cognito.repository.ts`. Every
 * other handler gets none. Inviting creates the Cognito user and deletes it again when the
 * user record cannot be written. A handler that starts calling another action needs it here,
 * or it fails with AccessDeniedException in AWS (local mode checks no IAM).
 */
export const COGNITO_ACTIONS_BY_HANDLER: Readonly<Record<string, readonly string[]>> = {
  'tenants/create-tenant': inviteActions,
  'users/invite-user': inviteActions,
  'users/invite-users': inviteActions,
  // AdminCreateUser with `MessageAction: RESEND` sends the invitation again.
  'users/resend-invitation': ['cognito-idp:AdminCreateUser'],
  'users/update-user': [
    'cognito-idp:AdminUpdateUserAttributes',
    'cognito-idp:AdminEnableUser',
    'cognito-idp:AdminDisableUser',
  ],
  'users/delete-user': ['cognito-idp:AdminDeleteUser'],
  'users/reset-user-mfa': ['cognito-idp:AdminSetUserMFAPreference'],
};

/** Handlers of non-GET routes that only read the table, so they get read access as GET handlers do. */
export const READ_ONLY_HANDLERS: readonly string[] = ['credits/verify-ledger'];

/** Handlers that read the platform's upstream API key. */
export const PLATFORM_KEY_HANDLERS: readonly string[] = ['ai/chat-completions', 'ai/embeddings'];

/** Name prefix of the secrets that hold tenants' own keys: `creditgate/tenants/<tenantId>/openai`. */
export const TENANT_KEY_SECRET_PREFIX = 'creditgate/tenants/';

/**
 * Secrets Manager actions each handler gets on tenants' key secrets, scoped to the name
 * prefix. The proxy reads keys; setting a key creates, restores, writes and tags the secret
 * (CreateSecret with tags also needs TagResource); removing one schedules its deletion.
 */
export const TENANT_KEY_ACTIONS_BY_HANDLER: Readonly<Record<string, readonly string[]>> = {
  'ai/chat-completions': ['secretsmanager:GetSecretValue'],
  'ai/embeddings': ['secretsmanager:GetSecretValue'],
  'keys/set-tenant-key': [
    'secretsmanager:CreateSecret',
    'secretsmanager:PutSecretValue',
    'secretsmanager:RestoreSecret',
    'secretsmanager:TagResource',
  ],
  'keys/delete-tenant-key': ['secretsmanager:DeleteSecret'],
};

/**
 * Access of each SuperAdmin key handler to the platform key secret. None of them reads the
 * key's value: `describe` reads metadata, `rotate` also starts a rotation, and `submit` also
 * stores a submitted key under its own staging label.
 */
export const PLATFORM_KEY_ACCESS_BY_HANDLER: Readonly<
  Record<string, 'describe' | 'rotate' | 'submit'>
> = {
  'keys/get-platform-key': 'describe',
  'keys/start-platform-key-rotation': 'rotate',
  'keys/submit-platform-key': 'submit',
};

/**
 * Handlers that send email through SES (`functions/src/notifications/mailer.ts`). Each gets
 * `ses:SendEmail` on the configured SES identity only, and `MAIL_FROM`. Without SES settings
 * (a `dev` stage without `mailFrom`) they get neither, and the mailer cannot send.
 */
export const MAIL_HANDLERS: readonly string[] = [
  'ai/chat-completions',
  'ai/embeddings',
  'credits/move-user-credits',
  'credit-requests/create-credit-request',
  'credit-requests/approve-credit-request',
  'credit-requests/deny-credit-request',
];

/**
 * Returns whether a route is public, so it gets no gateway authorizer. A route is public
 * when the route table marks it with `isPublic: true`, such as an OpenAPI document.
 */
export function isPublicRoute(route: RouteDefinition): boolean {
  return route.isPublic === true;
}

/**
 * Returns whether a route gets the Cognito authorizer. Platform routes accept only Cognito
 * ID tokens, so the authorizer rejects a request without a valid one before any function
 * runs. AI routes (OpenAI's error shape) also accept personal API tokens, which only the
 * handler can verify, and public routes accept any caller.
 */
export function usesCognitoAuthorizer(route: RouteDefinition): boolean {
  return route.errorShape === 'platform' && !isPublicRoute(route);
}

/**
 * Limits of a streamed AI call. Lambda stops a function after 15 minutes at most, and API
 * Gateway keeps a `STREAM` integration open for up to 15 minutes. The proxy's own upstream
 * limit is one minute shorter, so settlement still runs after an upstream request times out.
 */
const STREAMING_TIMEOUT = Duration.minutes(15);
const STREAMING_UPSTREAM_TOTAL_TIMEOUT = Duration.minutes(14);

export interface ApiProps {
  readonly table: ITableV2;
  readonly identity: Identity;
  readonly platformKey: PlatformKey;

  /** The SPA's base URL, used in links that emails and responses carry. */
  readonly webUrl: string;

  /** Base URL of the OpenAI-compatible upstream, such as `https://api.openai.com/v1`. */
  readonly openaiBaseUrl: string;

  /**
   * The SES sender that the handlers in `MAIL_HANDLERS` use.
   * @default - no SES access and no `MAIL_FROM`
   */
  readonly mail?: MailSettings;

  /** Stage-wide steady rate (requests per second) and burst, the tenant-wide shield. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };

  /**
   * Requests per 5 minutes from one IP address before a WAF rate-based rule blocks it.
   * @default - no WAF web ACL
   */
  readonly wafRateLimit?: number;
}

/**
 * The REST API: one Lambda function and one proxy integration per route of the shared route
 * table, on a regional endpoint. A Cognito authorizer guards the platform routes as an extra
 * gate, and each handler still verifies the caller's ID token or API token itself. Streaming
 * routes use Lambda response streaming behind API Gateway's `STREAM` response transfer mode.
 * The stage writes JSON access logs and error-level execution logs, and throttles all
 * clients together.
 */
export class Api extends Construct {
  readonly restApi: RestApi;
  readonly stageName = API_STAGE_NAME;
  /** Function of each handler module, keyed by its path such as `users/invite-user`. */
  readonly functions = new Map<string, CreditgateFunction>();
  /** Base URL for API clients, such as the `openai` SDK: the stage URL plus `/v1`. */
  readonly url: string;
  readonly accessLogGroup: LogGroup;
  readonly webAcl?: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    checkRouteTable();

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: 'creditgate',
      description: 'Creditgate platform and OpenAI-compatible API',
      // API Gateway closes an idle stream after 30 s on edge-optimized endpoints and after
      // 5 minutes on regional ones (API Gateway developer guide, response streaming).
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Logging to CloudWatch needs the region's API Gateway account setting to name a role.
      // The role is retained on deletion, because other APIs of the account use it too.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: API_STAGE_NAME,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        // Execution logs carry errors only, and never request or response bodies, which
        // contain prompts, completions and tokens.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
      },
    });
    this.url = this.restApi.urlForPath(API_BASE_PATH);
    addErrorResponses(this.restApi);
    acknowledgeApiFindings(this.restApi);

    const authorizer = new CognitoUserPoolsAuthorizer(this, 'CognitoAuthorizer', {
      cognitoUserPools: [props.identity.userPool],
      authorizerName: 'creditgate-id-token',
      // A cached result can outlive a disabled user's access by up to 5 minutes at the
      // gateway only: the handler reads the user record on every request.
      resultsCacheTtl: Duration.minutes(5),
    });

    const environment = {
      USER_POOL_ID: props.identity.userPool.userPoolId,
      USER_POOL_CLIENT_ID: props.identity.userPoolClient.userPoolClientId,
      PLATFORM_KEY_SECRET_ID: props.platformKey.secret.secretArn,
      OPENAI_BASE_URL: props.openaiBaseUrl,
      WEB_URL: props.webUrl,
    };

    for (const route of routes) {
      const handlerFunction = this.addRouteFunction(route, props, environment);
      const integration = route.isStreaming
        ? new LambdaIntegration(handlerFunction.lambdaFunction, {
            // Invokes the function with InvokeWithResponseStream through the
            // `.../response-streaming-invocations` URI and passes bytes on as they arrive.
            responseTransferMode: ResponseTransferMode.STREAM,
            timeout: STREAMING_TIMEOUT,
            allowTestInvoke: false,
          })
        : new LambdaIntegration(handlerFunction.lambdaFunction, { allowTestInvoke: false });
      const methodOptions: MethodOptions = usesCognitoAuthorizer(route)
        ? { authorizer, authorizationType: AuthorizationType.COGNITO }
        : { authorizationType: AuthorizationType.NONE };
      const method = this.restApi.root
        .resourceForPath(route.path)
        .addMethod(route.method, integration, methodOptions);
      if (!usesCognitoAuthorizer(route)) {
        const reason = isPublicRoute(route)
          ? `${route.method} ${route.path} is marked public in the route table, so callers ` +
            'without a token may call it'
          : `${route.method} ${route.path} is an OpenAI-compatible route that also accepts ` +
            'personal API tokens, which a Cognito authorizer would reject; the handler ' +
            'verifies the ID token or API token and the user record on every call';
        acknowledgeFinding(method, 'AwsSolutions-APIG4', reason);
        acknowledgeFinding(method, 'AwsSolutions-COG4', reason);
      }
    }

    if (props.wafRateLimit !== undefined) {
      this.webAcl = createRateLimitAcl(this, props.wafRateLimit);
      new CfnWebACLAssociation(this, 'WebAclAssociation', {
        resourceArn: this.restApi.deploymentStage.stageArn,
        webAclArn: this.webAcl.attrArn,
      });
    } else {
      acknowledgeFinding(
        this.restApi.deploymentStage,
        'AwsSolutions-APIG3',
        'The WAF web ACL is optional (context waf=true) because it is billed per request; ' +
          'stage throttling limits the whole API, and per-user limits apply to AI calls in the ' +
          'hold transaction',
      );
    }
  }

  private addRouteFunction(
    route: RouteDefinition,
    props: ApiProps,
    environment: Record<string, string>,
  ): CreditgateFunction {
    const existing = this.functions.get(route.handler);
    if (existing) return existing;

    const routeEnvironment: Record<string, string> = { ...environment };
    if (route.isStreaming) {
      routeEnvironment.AI_UPSTREAM_TOTAL_TIMEOUT_MS = String(
        STREAMING_UPSTREAM_TOTAL_TIMEOUT.toMilliseconds(),
      );
    }
    // The X-Ray SDK's async hooks cost every AI call CPU time on the client's path, so the AI
    // functions keep Lambda's own trace segments but load no tracer (docs/architecture.md).
    if (route.errorShape === 'openai') routeEnvironment.POWERTOOLS_TRACE_ENABLED = 'false';
    const handlerFunction = new CreditgateFunction(this, constructIdFor(route.handler), {
      handler: route.handler,
      table: props.table,
      // GET handlers only read, so a GET handler that starts writing fails with AccessDenied.
      tableAccess:
        route.method === 'GET' || READ_ONLY_HANDLERS.includes(route.handler)
          ? 'read'
          : 'read-write',
      environment: routeEnvironment,
      description: `Creditgate ${route.method} ${route.path}`,
      ...(route.isStreaming ? { timeout: STREAMING_TIMEOUT, memorySize: 1024 } : {}),
    });

    const cognitoActions = COGNITO_ACTIONS_BY_HANDLER[route.handler];
    if (cognitoActions) {
      props.identity.grantAdminActions(handlerFunction.lambdaFunction, cognitoActions);
    }
    if (PLATFORM_KEY_HANDLERS.includes(route.handler)) {
      props.platformKey.grantReadValue(handlerFunction.lambdaFunction);
    }
    const tenantKeyActions = TENANT_KEY_ACTIONS_BY_HANDLER[route.handler];
    if (tenantKeyActions) {
      const tenantSecrets = Stack.of(this).formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${TENANT_KEY_SECRET_PREFIX}*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      // Secrets Manager appends a random suffix to every secret ARN, and each tenant has its
      // own secret, hence the `*` after the name prefix.
      handlerFunction.role.addToPolicy(
        new PolicyStatement({ actions: [...tenantKeyActions], resources: [tenantSecrets] }),
      );
      acknowledgeWildcardResource(
        handlerFunction.role,
        tenantSecrets,
        "Tenants' own keys are one secret per tenant, created at run time under the name " +
          'prefix creditgate/tenants/, so the prefix is the narrowest resource',
      );
    }
    if (MAIL_HANDLERS.includes(route.handler) && props.mail) {
      this.grantSendEmail(handlerFunction, props.mail);
    }
    const keyAccess = PLATFORM_KEY_ACCESS_BY_HANDLER[route.handler];
    if (keyAccess === 'describe') props.platformKey.grantDescribe(handlerFunction.lambdaFunction);
    if (keyAccess === 'rotate')
      props.platformKey.grantStartRotation(handlerFunction.lambdaFunction);
    if (keyAccess === 'submit') props.platformKey.grantSubmitKey(handlerFunction.lambdaFunction);
    this.functions.set(route.handler, handlerFunction);
    return handlerFunction;
  }

  /** Lets the function send email from `mail.from` through its SES identity only. */
  private grantSendEmail(handlerFunction: CreditgateFunction, mail: MailSettings): void {
    handlerFunction.lambdaFunction.addEnvironment('MAIL_FROM', mail.from);
    handlerFunction.role.addToPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [mail.identityArn],
        conditions: { StringEquals: { 'ses:FromAddress': mail.from } },
      }),
    );
  }
}

/**
 * Fields of each access log line. Headers, bodies and query strings are left out, because
 * they can carry tokens and prompts.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  userId: '$context.authorizer.claims.sub',
  errorMessage: '$context.error.message',
  wafStatus: '$context.waf.status',
};

/** A regional WAF web ACL that blocks an IP address above `limit` requests per 5 minutes. */
function createRateLimitAcl(scope: Construct, limit: number): CfnWebACL {
  return new CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: {
      cloudWatchMetricsEnabled: true,
      metricName: 'creditgate-api',
      sampledRequestsEnabled: true,
    },
    rules: [
      {
        name: 'rate-limit-per-ip',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP' } },
        visibilityConfig: {
          cloudWatchMetricsEnabled: true,
          metricName: 'creditgate-api-rate-limit',
          sampledRequestsEnabled: true,
        },
      },
    ],
  });
}

/** Acknowledges the API's findings that come from choices aws-cdk-lib makes for it. */
function acknowledgeApiFindings(api: RestApi): void {
  acknowledgeFinding(
    api,
    'AwsSolutions-APIG2',
    'Each handler validates its request with the shared zod schemas and answers in its ' +
      "route's error shape (OpenAI's or the platform's); the OpenAI-compatible routes must " +
      'also pass unknown fields through, which a gateway model would reject',
  );
  const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    acknowledgeFinding(
      cloudWatchRole,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      "API Gateway's account-wide logging role needs to create log groups for every API of " +
        'the region; AWS maintains this managed policy for exactly that role',
    );
  }
}

/** Fails synthesis when the route table and this construct's assumptions disagree. */
function checkRouteTable(): void {
  for (const route of routes) {
    if (!route.path.startsWith(`${API_BASE_PATH}/`)) {
      throw new Error(`Route ${route.method} ${route.path} is outside ${API_BASE_PATH}`);
    }
  }
  const handlers = new Set(routes.map((route) => route.handler));
  for (const handler of [
    ...Object.keys(COGNITO_ACTIONS_BY_HANDLER),
    ...PLATFORM_KEY_HANDLERS,
    ...Object.keys(PLATFORM_KEY_ACCESS_BY_HANDLER),
    ...Object.keys(TENANT_KEY_ACTIONS_BY_HANDLER),
    ...READ_ONLY_HANDLERS,
    ...MAIL_HANDLERS,
  ]) {
    if (!handlers.has(handler)) {
      throw new Error(`Handler ${handler} has an IAM grant but no route in the route table`);
    }
  }
}

/**
 * Sets the bodies of API Gateway's own errors to the platform's error shape, which the
 * local gateway also uses. Handlers return every other error themselves.
 */
function addErrorResponses(api: RestApi): void {
  const errorBody = (code: string, message: string) => ({
    'application/json': JSON.stringify({ error: { code, message } }),
  });
  // API Gateway reports an unknown path, or a method the path lacks, as a missing token.
  api.addGatewayResponse('RouteNotFound', {
    type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
    statusCode: '404',
    templates: errorBody('NOT_FOUND', 'No route matches this method and path'),
  });
  api.addGatewayResponse('Throttled', {
    type: ResponseType.THROTTLED,
    statusCode: '429',
    templates: errorBody('RATE_LIMITED', 'Too many requests; retry later'),
  });
  api.addGatewayResponse('RequestTooLarge', {
    type: ResponseType.REQUEST_TOO_LARGE,
    statusCode: '413',
    templates: errorBody('PAYLOAD_TOO_LARGE', 'The request body is too large'),
  });
  // The Cognito authorizer rejects a missing, expired or foreign token before the handler
  // runs, in the same shape the handler would use.
  api.addGatewayResponse('Unauthorized', {
    type: ResponseType.UNAUTHORIZED,
    statusCode: '401',
    templates: errorBody('UNAUTHENTICATED', 'A valid ID token is required'),
  });
  api.addGatewayResponse('Default5xx', {
    type: ResponseType.DEFAULT_5XX,
    templates: errorBody('INTERNAL_ERROR', 'Internal error'),
  });
}

/** `users/invite-user` becomes `UsersInviteUser`. */
function constructIdFor(handler: string): string {
  return handler
    .split(/[/-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
