import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IRestApi } from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeFinding, acknowledgeWildcardAction, acknowledgeWildcardResource } from './nag';
import type { CustomDomain } from './stage-config';

/**
 * Sends every path without a file extension to `/index.html`, so deep links such as the
 * invitation's `/accept-invite?email=...` load the SPA, which then routes in the browser. A
 * path with an extension (a missing asset) stays a 404 from S3, and `/v1/*` never reaches
 * this function because it has its own behavior.
 */
export const SPA_ROUTING_CODE = `
function handler(event) {
  var request = event.request;
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
`;

/** Cache-Control of Vite's content-hashed files under `assets/`, which never change. */
export const HASHED_ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * Cache-Control of `index.html`, `config.json` and other unhashed files: never cached, by
 * CloudFront or the browser, so a deploy takes effect on the next page load.
 */
export const UNHASHED_FILE_CACHE_CONTROL = 'no-store';

/** Seconds a browser keeps using HTTPS only for the site (two years). */
const HSTS_MAX_AGE = Duration.days(730);

export interface WebHostingProps {
  /**
   * Custom domain with its ACM certificate in us-east-1.
   * @default - the distribution's `*.cloudfront.net` domain
   */
  readonly customDomain?: CustomDomain;

  /**
   * ARN of a CloudFront-scope WAF web ACL.
   * @default - none
   */
  readonly webAclArn?: string;
}

/** The values of `/config.json`, which the SPA reads at start. */
export interface SpaRuntimeConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

/**
 * The SPA's hosting: a private, encrypted S3 bucket read by CloudFront through an origin
 * access control, with access logs in a separate bucket. `addApiBehavior` puts the API on
 * the same origin, as in local mode, and `deploySite` uploads the build and `/config.json`.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** The SPA's base URL: `https://` plus the custom domain or the distribution's domain. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);

    this.logBucket = createLogBucket(this);
    this.bucket = new Bucket(this, 'SiteBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const spaRouting = new CloudFrontFunction(this, 'SpaRouting', {
      code: FunctionCode.fromInline(SPA_ROUTING_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Serves index.html for SPA routes',
    });
    this.responseHeadersPolicy = createSecurityHeadersPolicy(this);

    // Honours the files' own Cache-Control (minimum TTL 0), so `index.html` is fetched anew
    // on every request and hashed assets stay cached for a year.
    const siteCachePolicy = new CachePolicy(this, 'SiteCachePolicy', {
      comment: 'Creditgate SPA: caches as each file’s Cache-Control says',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      cookieBehavior: CacheCookieBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const domain = props.customDomain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Creditgate SPA and API',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      webAclId: props.webAclArn,
      ...(domain && {
        domainNames: [domain.domainName],
        certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: siteCachePolicy,
        responseHeadersPolicy: this.responseHeadersPolicy,
        functionAssociations: [
          { function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST },
        ],
      },
    });
    this.url = `https://${domain ? domain.domainName : this.distribution.distributionDomainName}`;
    this.acknowledgeDistributionFindings(props);
  }

  /**
   * Routes `pathPattern` to a REST API stage without caching, so the SPA calls the API on
   * its own origin and needs no CORS. The origin is built from the API id instead of
   * `api.url`, because `api.url` refers to the stage, which depends on every function,
   * and the functions refer to this distribution's URL.
   */
  addApiBehavior(pathPattern: string, api: IRestApi, stageName: string): void {
    const stack = Stack.of(this);
    const domainName = `${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    const origin = new HttpOrigin(domainName, {
      originPath: `/${stageName}`,
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      // The highest origin response timeout that CloudFront's default quota allows (120 s,
      // as aws-cdk-lib 2.278 documents it). It limits the wait for the first byte and
      // between bytes. Streamed responses send a keep-alive every 15 s, but a non-streaming
      // chat completion that takes longer fails here, so API clients use the API's own URL.
      readTimeout: Duration.seconds(120),
    });
    this.distribution.addBehavior(pathPattern, origin, {
      allowedMethods: AllowedMethods.ALLOW_ALL,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // API responses, streams included, pass through unchanged.
      compress: false,
      // Every viewer header, Authorization included, except Host: API Gateway rejects a
      // Host header that names another domain.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.responseHeadersPolicy,
    });
  }

  /**
   * Uploads the SPA build in `distPath` and a generated `/config.json`. Hashed files under
   * `assets/` are cached for a year and kept after later deploys, so a browser that still
   * has an older `index.html` can load its files. Every other file, `index.html` and
   * `config.json` included, is never cached and is uploaded after the assets.
   * Without a build in `distPath`, a placeholder page is uploaded instead.
   */
  deploySite(distPath: string, config: SpaRuntimeConfig): void {
    const hasBuild = existsSync(join(distPath, 'index.html'));
    if (!hasBuild) {
      Annotations.of(this).addWarning(
        `No SPA build in ${distPath}: the site serves a placeholder page. ` +
          'Run `npm run build -w web` before deploying (npm run deploy does).',
      );
    }
    const build = hasBuild ? Source.asset(distPath) : Source.data('index.html', PLACEHOLDER_PAGE);
    const configFile = Source.jsonData('config.json', {
      apiBaseUrl: '',
      region: config.region,
      userPoolId: config.userPoolId,
      userPoolClientId: config.userPoolClientId,
      cognitoEndpoint: null,
    });

    const role = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Creditgate SPA upload (CDK BucketDeployment)',
    });
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);
    acknowledgeDeploymentFindings(role, this.bucket);

    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [build],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: ['assets/*'],
      prune: false,
      cacheControl: [CacheControl.fromString(HASHED_ASSET_CACHE_CONTROL)],
      role,
      logGroup,
      memoryLimit: 512,
    });
    const pages = new BucketDeployment(this, 'DeployPages', {
      sources: [build, configFile],
      destinationBucket: this.bucket,
      exclude: ['assets/*'],
      prune: false,
      cacheControl: [CacheControl.fromString(UNHASHED_FILE_CACHE_CONTROL)],
      role,
      logGroup,
      memoryLimit: 512,
    });
    pages.node.addDependency(assets);
    acknowledgeDeploymentRuntime(Stack.of(this));
  }

  private acknowledgeDistributionFindings(props: WebHostingProps): void {
    acknowledgeFinding(
      this.distribution,
      'AwsSolutions-CFR1',
      'Tenants and their users may be anywhere, so no country is blocked; operators who need ' +
        'a geo restriction can attach one through the WAF web ACL (context cloudFrontWebAclArn)',
    );
    if (props.webAclArn === undefined) {
      acknowledgeFinding(
        this.distribution,
        'AwsSolutions-CFR2',
        'A CloudFront web ACL must be created in us-east-1, outside this regional stack; ' +
          'operators pass one with the context value cloudFrontWebAclArn',
      );
    }
    if (props.customDomain === undefined) {
      acknowledgeFinding(
        this.distribution,
        'AwsSolutions-CFR4',
        "Without a custom domain the distribution uses CloudFront's default *.cloudfront.net " +
          'certificate, whose security policy CloudFront fixes; set domainName and ' +
          'certificateArn to enforce TLS 1.2 or newer',
      );
    }
  }
}

/**
 * Builds the site's Content-Security-Policy. It allows scripts and connections only to this
 * origin (which also serves the API) and to Cognito's endpoint in `region`. Chakra UI
 * (Emotion) writes style elements at run time, hence `'unsafe-inline'` for styles only.
 */
export function contentSecurityPolicy(region: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' https://cognito-idp.${region}.amazonaws.com`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Creates the security headers policy for every response: the Content-Security-Policy,
 * HSTS, `nosniff`, no framing and a strict referrer policy.
 */
function createSecurityHeadersPolicy(scope: Construct): ResponseHeadersPolicy {
  const contentSecurityPolicyValue = contentSecurityPolicy(Aws.REGION);
  return new ResponseHeadersPolicy(scope, 'SecurityHeaders', {
    comment: 'Creditgate security headers',
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicyValue, override: true },
      strictTransportSecurity: {
        accessControlMaxAge: HSTS_MAX_AGE,
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
    },
  });
}

/**
 * Creates the bucket for the site bucket's server access logs and CloudFront's standard logs.
 * CloudFront's standard logging writes with an ACL, so the bucket keeps ACLs for its own
 * writers (bucket owner preferred); public access stays blocked.
 */
function createLogBucket(scope: Construct): Bucket {
  const logBucket = new Bucket(scope, 'LogBucket', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ expiration: Duration.days(90) }],
    // CloudFormation cannot delete a bucket that still contains logs.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledgeFinding(
    logBucket,
    'AwsSolutions-S1',
    'This bucket receives the access logs; logging its own access would log the log writes',
  );
  return logBucket;
}

/**
 * Acknowledges the wildcards of the grants aws-cdk-lib's BucketDeployment gives its upload
 * function: read on the CDK asset bucket, and read, write and delete on the site bucket.
 */
function acknowledgeDeploymentFindings(role: Role, siteBucket: IBucket): void {
  const reason =
    "aws-cdk-lib's BucketDeployment grants its upload function these S3 actions to copy the " +
    'build from the CDK asset bucket into the site bucket; they cover only those two buckets';
  for (const action of [
    's3:GetObject*',
    's3:GetBucket*',
    's3:List*',
    's3:DeleteObject*',
    's3:Abort*',
  ]) {
    acknowledgeWildcardAction(role, action, reason);
  }
  acknowledgeWildcardResource(role, `${siteBucket.bucketArn}/*`, reason);
  acknowledgeWildcardResource(
    role,
    `arn:${Aws.PARTITION}:s3:::cdk-hnb659fds-assets-${Aws.ACCOUNT_ID}-${Aws.REGION}/*`,
    reason,
  );
}

/**
 * Acknowledges the runtime of BucketDeployment's upload function, a singleton at the stack's
 * root whose Python runtime aws-cdk-lib chooses.
 */
function acknowledgeDeploymentRuntime(stack: Stack): void {
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
      acknowledgeFinding(
        child,
        'AwsSolutions-L1',
        "aws-cdk-lib fixes the runtime of BucketDeployment's upload function, which runs only " +
          'during deployments and handles no user input',
      );
    }
  }
}

/** The page served when the stack was synthesized without an SPA build. */
const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Creditgate</title></head>
  <body>
    <h1>Creditgate</h1>
    <p>The web console was not built when this stack was deployed. Run
    <code>npm run build -w web</code> and deploy again.</p>
  </body>
</html>
`;
