import { PLATFORM_KEY_SECRET_NAME } from '@creditgate/shared';
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The platform's upstream API key: a Secrets Manager secret holding `{"apiKey": "..."}`,
 * encrypted with a customer-managed KMS key and retained when it leaves the stack.
 */
export class PlatformKey extends Construct {
  readonly secret: Secret;
  readonly encryptionKey: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.encryptionKey = new Key(this, 'EncryptionKey', {
      description: 'Encrypts the Creditgate platform key secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The first deploy stores a random placeholder, which upstream rejects with 401.
    // Operators then set the real key with `aws secretsmanager put-secret-value`. Later
    // deploys keep that value, because CloudFormation generates the string only on creation.
    // TODO: deploy the rotation Lambda and the SuperAdmin key endpoints that write this secret.
    this.secret = new Secret(this, 'Secret', {
      secretName: PLATFORM_KEY_SECRET_NAME,
      description: 'Creditgate platform OpenAI API key as {"apiKey": "..."}',
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'apiKey',
        excludePunctuation: true,
        passwordLength: 40,
      },
    });
  }

  /**
   * Lets `grantee` read the current key value: `secretsmanager:GetSecretValue` on this
   * secret, and `kms:Decrypt` on its key only when Secrets Manager makes the call.
   */
  grantReadValue(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secret.secretArn],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.encryptionKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` },
        },
      }),
    );
  }
}
