import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/src/lib/db/keys';
import { superAdminAttributes, superAdminItems } from './super-admin';

const usage = `Usage: npm run create-super-admin -- --email EMAIL --user-pool-id ID --table-name NAME --region REGION

Creates a SuperAdmin in a deployed Creditgate stack: the Cognito user in the platform
tenant with the SuperAdmin role, and its user record in the table. Cognito emails the
user a temporary password through the stack's invitation email. The stack outputs
UserPoolId and TableName; AWS credentials come from the usual sources (AWS_PROFILE, ...).

Options:
  --email EMAIL           the SuperAdmin's email address (stored lower-cased)
  --user-pool-id ID       the stack output UserPoolId
  --table-name NAME       the stack output TableName
  --region REGION         the stack's region (default: AWS_REGION)
  --help                  print this help`;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A reason the SuperAdmin was not created that the operator can act on. */
export class SuperAdminError extends Error {
  override name = 'SuperAdminError';
}

export interface CreateSuperAdminInput {
  cognito: CognitoIdentityProviderClient;
  documents: DynamoDBDocumentClient;
  userPoolId: string;
  tableName: string;
  email: string;
  /**
   * Temporary password to set instead of one Cognito generates; tests use it to sign in.
   * @default - generated and emailed by Cognito
   */
  temporaryPassword?: string;
}

/**
 * Creates a SuperAdmin as the invitation flow creates any user: it checks that no user has
 * the email, creates the Cognito user (status FORCE_CHANGE_PASSWORD, invitation by email),
 * then writes the user record (INVITED) and the email claim in one transaction. If that
 * write fails, the Cognito user is deleted again. The first sign-in makes the user ACTIVE.
 */
export async function createSuperAdmin(input: CreateSuperAdminInput): Promise<{
  email: string;
  userId: string;
}> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email)) {
    throw new SuperAdminError(`Invalid email address: "${input.email}"`);
  }

  const claim = await input.documents.send(
    new GetCommand({ TableName: input.tableName, Key: keys.emailClaim(email) }),
  );
  if (claim.Item) {
    throw new SuperAdminError(
      `${email} already belongs to a user (tenant ${String(claim.Item.tenantId)}); ` +
        'choose another email or delete that user first',
    );
  }

  let userId: string | undefined;
  try {
    const created = await input.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: input.userPoolId,
        Username: email,
        UserAttributes: superAdminAttributes(email),
        DesiredDeliveryMediums: ['EMAIL'],
        ...(input.temporaryPassword && { TemporaryPassword: input.temporaryPassword }),
      }),
    );
    userId = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  } catch (error) {
    if ((error as Error).name === 'UsernameExistsException') {
      throw new SuperAdminError(
        `A Cognito user named ${email} exists in pool ${input.userPoolId} without a user ` +
          'record; delete it (aws cognito-idp admin-delete-user) and run this again',
      );
    }
    throw error;
  }
  if (!userId) {
    throw new SuperAdminError(`Cognito returned no sub for ${email}; check the user pool`);
  }

  const items = superAdminItems({
    email,
    userId,
    status: 'INVITED',
    now: new Date().toISOString(),
  });
  try {
    await input.documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: input.tableName,
              Item: items.user,
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: input.tableName,
              Item: items.emailClaim,
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    // Without its record the Cognito user could sign in to nothing, and it would block
    // the next attempt with the same email.
    await input.cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: input.userPoolId, Username: email }),
    );
    throw error;
  }
  return { email, userId };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      'user-pool-id': { type: 'string' },
      'table-name': { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const region = values.region ?? process.env.AWS_REGION;
  const missing = [
    ['--email', values.email],
    ['--user-pool-id', values['user-pool-id']],
    ['--table-name', values['table-name']],
    ['--region', region],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) {
    console.error(`Missing ${missing.join(', ')}.\n\n${usage}`);
    process.exitCode = 2;
    return;
  }

  const cognito = new CognitoIdentityProviderClient({ region });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region }));
  try {
    const { email, userId } = await createSuperAdmin({
      cognito,
      documents,
      userPoolId: values['user-pool-id'] as string,
      tableName: values['table-name'] as string,
      email: values.email as string,
    });
    console.log(
      `Created SuperAdmin ${email} (user id ${userId}). Cognito has emailed a temporary ` +
        'password; sign in at the stack output WebUrl and set a new password.',
    );
  } catch (error) {
    console.error(
      error instanceof SuperAdminError
        ? error.message
        : `Creating the SuperAdmin failed: ${(error as Error).name}: ${(error as Error).message}`,
    );
    process.exitCode = 1;
  } finally {
    cognito.destroy();
    documents.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
