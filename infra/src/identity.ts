import { customAttributes } from '@creditgate/shared';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CreditgateFunction } from './creditgate-function';
import { acknowledgeFinding } from './nag';
import type { MailSettings } from './stage-config';

export interface IdentityProps {
  /** The platform table, which the triggers read tenants from and activate users in. */
  readonly table: ITableV2;

  /** The SPA's base URL, used for the accept-invite link in invitation emails. */
  readonly webUrl: string;

  /**
   * The SES sender for Cognito's emails (invitations and password resets).
   * @default - Cognito's own sender, which allows about 50 emails a day
   */
  readonly mail?: MailSettings;

  /** Whether the pool survives `cdk destroy` and refuses deletion, as production needs. */
  readonly isProtected: boolean;
}

/**
 * The Cognito user pool and the SPA's app client. Users sign in with their email, and only
 * administrators create users (through the API). Cognito sends each invitation through the
 * CustomMessage trigger, and the PostAuthentication trigger marks invited users active.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);

    // The pool refers to its triggers, so the triggers get only the table and the web URL.
    // The pool id in their environment would make a circular dependency, which
    // CloudFormation rejects. Cognito calls triggers synchronously and stops waiting after
    // 5 seconds (Amazon Cognito Developer Guide), so a longer timeout would never be used.
    const customMessage = new CreditgateFunction(this, 'CustomMessageTrigger', {
      handler: 'triggers/custom-message',
      table: props.table,
      tableAccess: 'read',
      environment: { WEB_URL: props.webUrl },
      timeout: Duration.seconds(5),
    });
    const postAuthentication = new CreditgateFunction(this, 'PostAuthenticationTrigger', {
      handler: 'triggers/post-authentication',
      table: props.table,
      tableAccess: 'read-write',
      environment: { WEB_URL: props.webUrl },
      timeout: Duration.seconds(5),
    });

    this.userPool = new UserPool(this, 'UserPool', {
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: false,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireUppercase: true,
        requireLowercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      customAttributes: {
        [customAttributes.tenantId.name]: new StringAttribute({
          mutable: customAttributes.tenantId.isMutable,
        }),
        [customAttributes.role.name]: new StringAttribute({
          mutable: customAttributes.role.isMutable,
        }),
      },
      lambdaTriggers: {
        customMessage: customMessage.lambdaFunction,
        postAuthentication: postAuthentication.lambdaFunction,
      },
      // Users may add an authenticator app (TOTP) on the SPA's Security page. SMS is off: it
      // needs an SNS spending setup per account and is the weaker second factor.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.ESSENTIALS,
      email: props.mail ? sesEmail(props.mail) : UserPoolEmail.withCognito(),
      deletionProtection: props.isProtected,
      removalPolicy: props.isProtected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledgeFinding(
      this.userPool,
      'AwsSolutions-COG2',
      'TOTP MFA is optional by design: invited users first sign in with an emailed temporary ' +
        'password and then add an authenticator app on the Security page if they choose',
    );
    acknowledgeFinding(
      this.userPool,
      'AwsSolutions-COG8',
      'The Essentials plan is used because the Plus plan (threat protection) is billed per ' +
        'monthly active user; operators can switch the plan in the console without code changes',
    );

    const customAttributeNames = Object.values(customAttributes).map((attribute) => attribute.name);
    this.userPoolClient = this.userPool.addClient('SpaClient', {
      generateSecret: false,
      // USER_PASSWORD_AUTH and refresh only, because cognito-local in local mode has no SRP.
      authFlows: { userPassword: true },
      // Without this, addClient() enables the OAuth code and implicit flows with an
      // example.com callback URL.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(...customAttributeNames),
      // Users may change their display name only. The email is the sign-in name and the key
      // of the table's email claim, and the custom attributes change only through the
      // backend's admin calls. The list is explicit because Cognito lets a client without
      // one write every standard attribute.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
  }

  /** Lets `grantee` call the given Cognito admin actions on this user pool only. */
  grantAdminActions(grantee: IGrantable, actions: readonly string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [this.userPool.userPoolArn],
      }),
    );
  }
}

/**
 * Cognito's SES settings for `mail`: the identity's region, and its domain when the identity
 * is a domain rather than the sender address itself.
 */
function sesEmail(mail: MailSettings): UserPoolEmail {
  const identity = mail.identityArn.slice(
    mail.identityArn.indexOf(':identity/') + ':identity/'.length,
  );
  const isDomainIdentity = !identity.includes('@');
  return UserPoolEmail.withSES({
    fromEmail: mail.from,
    fromName: 'Creditgate',
    sesRegion: mail.identityRegion,
    ...(isDomainIdentity && { sesVerifiedDomain: identity }),
  });
}
