import type { Node } from 'constructs';

/** Deployment stages. `prod` protects data from deletion and sends email through SES. */
export type Stage = 'dev' | 'prod';

export const STAGES: readonly Stage[] = ['dev', 'prod'];

/** OpenAI's public API, the upstream when no `openaiBaseUrl` is given. */
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * Email sending through Amazon SES: the sender address and the SES identity (a verified
 * domain or address) that may send it.
 */
export interface MailSettings {
  /** Sender address, such as `no-reply@example.com`, for Cognito and the platform's emails. */
  readonly from: string;
  /** ARN of the SES identity that `from` belongs to. */
  readonly identityArn: string;
  /** Region of the SES identity, which Cognito needs when it differs from the stack's. */
  readonly identityRegion?: string;
}

/** A custom domain for the distribution, with its ACM certificate in us-east-1. */
export interface CustomDomain {
  readonly domainName: string;
  readonly certificateArn: string;
}

/** Every setting a deployment takes from the CDK context, validated once. */
export interface StageConfig {
  readonly stage: Stage;
  readonly openaiBaseUrl: string;
  readonly keyRotationDays?: number;
  readonly keyRevokeGraceMinutes?: number;
  readonly openaiProjectId?: string;
  /** Required in `prod`; optional in `dev`, where Cognito's own sender is the fallback. */
  readonly mail?: MailSettings;
  readonly customDomain?: CustomDomain;
  /** Whether a WAF web ACL with a rate-based rule protects the API stage. */
  readonly isWafEnabled: boolean;
  /** Requests per 5 minutes from one IP address before the WAF rule blocks it. */
  readonly wafRateLimit: number;
  /** ARN of a CloudFront-scope WAF web ACL (created in us-east-1) for the distribution. */
  readonly cloudFrontWebAclArn?: string;
  /** Stage-wide steady request rate per second and burst of the API. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Email address subscribed to the alarm topic. */
  readonly alarmEmail?: string;
}

/** Requests per second the API stage accepts, summed over all clients. */
export const DEFAULT_API_RATE_LIMIT = 500;
export const DEFAULT_API_BURST_LIMIT = 1000;
/** Requests per 5 minutes from one IP address before the WAF rule blocks it. */
export const DEFAULT_WAF_RATE_LIMIT = 3000;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SES_IDENTITY_ARN_PATTERN = /^arn:aws[a-z-]*:ses:([a-z0-9-]+):\d{12}:identity\/(.+)$/;
const ACM_ARN_PATTERN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/;
const WAF_CLOUDFRONT_ARN_PATTERN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/;
const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Reads the deployment settings from the CDK context (`cdk.json` or `-c name=value`, which
 * passes every value as a string) and throws an Error naming the first invalid one.
 */
export function readStageConfig(node: Node): StageConfig {
  const context = (name: string): unknown => node.tryGetContext(name);

  const stage = context('stage') ?? 'dev';
  if (!STAGES.includes(stage as Stage)) {
    throw new Error(`stage must be one of ${STAGES.join(', ')}, got ${JSON.stringify(stage)}`);
  }

  const mail = readMailSettings(context('mailFrom'), context('sesIdentityArn'));
  if (stage === 'prod' && mail === undefined) {
    throw new Error(
      'stage prod sends email through SES: set the context values mailFrom (the sender ' +
        'address) and sesIdentityArn (its verified SES identity)',
    );
  }

  const domainName = readOptionalString('domainName', context('domainName'));
  const certificateArn = readOptionalString('certificateArn', context('certificateArn'));
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error('domainName and certificateArn must be set together, or neither');
  }
  if (domainName !== undefined && !DOMAIN_PATTERN.test(domainName)) {
    throw new Error(`domainName is not a lower-case domain name: "${domainName}"`);
  }
  if (certificateArn !== undefined && !ACM_ARN_PATTERN.test(certificateArn)) {
    throw new Error(
      `certificateArn must be an ACM certificate ARN in us-east-1, which CloudFront requires; got "${certificateArn}"`,
    );
  }

  const cloudFrontWebAclArn = readOptionalString(
    'cloudFrontWebAclArn',
    context('cloudFrontWebAclArn'),
  );
  if (cloudFrontWebAclArn !== undefined && !WAF_CLOUDFRONT_ARN_PATTERN.test(cloudFrontWebAclArn)) {
    throw new Error(
      `cloudFrontWebAclArn must be a global (CloudFront) WAF web ACL ARN in us-east-1; got "${cloudFrontWebAclArn}"`,
    );
  }

  const alarmEmail = readOptionalString('alarmEmail', context('alarmEmail'));
  if (alarmEmail !== undefined && !EMAIL_PATTERN.test(alarmEmail)) {
    throw new Error(`alarmEmail is not an email address: "${alarmEmail}"`);
  }

  return {
    stage: stage as Stage,
    openaiBaseUrl: checkOpenaiBaseUrl(context('openaiBaseUrl') ?? DEFAULT_OPENAI_BASE_URL),
    keyRotationDays: readNumber('keyRotationDays', context('keyRotationDays')),
    keyRevokeGraceMinutes: readNumber('keyRevokeGraceMinutes', context('keyRevokeGraceMinutes')),
    openaiProjectId: readOptionalString('openaiProjectId', context('openaiProjectId')),
    mail,
    customDomain:
      domainName !== undefined && certificateArn !== undefined
        ? { domainName, certificateArn }
        : undefined,
    isWafEnabled: readBoolean('waf', context('waf')) ?? false,
    wafRateLimit:
      readPositiveInteger('wafRateLimit', context('wafRateLimit'), 100) ?? DEFAULT_WAF_RATE_LIMIT,
    cloudFrontWebAclArn,
    apiThrottle: {
      rateLimit:
        readPositiveInteger('apiRateLimit', context('apiRateLimit'), 1) ?? DEFAULT_API_RATE_LIMIT,
      burstLimit:
        readPositiveInteger('apiBurstLimit', context('apiBurstLimit'), 1) ??
        DEFAULT_API_BURST_LIMIT,
    },
    alarmEmail,
  };
}

function readMailSettings(from: unknown, identityArn: unknown): MailSettings | undefined {
  const sender = readOptionalString('mailFrom', from);
  const arn = readOptionalString('sesIdentityArn', identityArn);
  if (sender === undefined && arn === undefined) return undefined;
  if (sender === undefined || arn === undefined) {
    throw new Error('mailFrom and sesIdentityArn must be set together, or neither');
  }
  if (!EMAIL_PATTERN.test(sender)) {
    throw new Error(`mailFrom is not an email address: "${sender}"`);
  }
  const match = SES_IDENTITY_ARN_PATTERN.exec(arn);
  if (!match) {
    throw new Error(
      `sesIdentityArn must be an SES identity ARN such as arn:aws:ses:us-east-1:123456789012:identity/example.com; got "${arn}"`,
    );
  }
  const identity = (match[2] as string).toLowerCase();
  const senderDomain = sender.slice(sender.lastIndexOf('@') + 1).toLowerCase();
  if (identity !== sender.toLowerCase() && identity !== senderDomain) {
    throw new Error(
      `mailFrom "${sender}" is neither the SES identity "${identity}" nor an address in its domain`,
    );
  }
  return { from: sender, identityArn: arn, identityRegion: match[1] };
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

function readNumber(name: string, context: unknown): number | undefined {
  if (context === undefined) return undefined;
  const value = typeof context === 'string' && context.trim() !== '' ? Number(context) : context;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new Error(`${name} must be a number, got ${JSON.stringify(context)}`);
  }
  return value;
}

function readPositiveInteger(name: string, context: unknown, minimum: number): number | undefined {
  const value = readNumber(name, context);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`${name} must be an integer of at least ${minimum}, got ${value}`);
  }
  return value;
}

function readBoolean(name: string, context: unknown): boolean | undefined {
  if (context === undefined) return undefined;
  if (context === true || context === 'true') return true;
  if (context === false || context === 'false') return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(context)}`);
}

function readOptionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value.trim();
}
