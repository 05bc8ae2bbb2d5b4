import { Duration, Stack } from 'aws-cdk-lib';
import type { IRestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * Sends every path without a file extension to `/index.html`, so deep links such as the
 * invitation's `/accept-invite?email=...` load the SPA, which then routes in the browser.
 */
const SPA_ROUTING_CODE = `
function handler(event) {
  var request = event.request;
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
`;

/**
 * The SPA's hosting: a private, encrypted S3 bucket read by CloudFront through an origin
 * access control. `addApiBehavior` puts the API on the same origin, as in local mode.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** The SPA's base URL, `https://` plus the distribution's domain name, without a slash. */
  readonly url: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // NOTE: nothing uploads the SPA build or its `/config.json` yet, so the distribution
    // serves S3's AccessDenied error until they are copied to the bucket.
    this.bucket = new Bucket(this, 'SiteBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });

    const spaRouting = new CloudFrontFunction(this, 'SpaRouting', {
      code: FunctionCode.fromInline(SPA_ROUTING_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Serves index.html for SPA routes',
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Creditgate SPA and API',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [
          { function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST },
        ],
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
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
    });
  }
}
