import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSuperAdmin, SuperAdminError } from './create-super-admin';

const cognito = new CognitoIdentityProviderClient({ region: 'us-east-1' });
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const cognitoMock = mockClient(cognito);
const documentsMock = mockClient(documents);

function create() {
  return createSuperAdmin({
    cognito,
    documents,
    userPoolId: 'us-east-1_pool',
    tableName: 'creditgate',
    email: 'admin@example.com',
  });
}

beforeEach(() => {
  cognitoMock.reset();
  documentsMock.reset();
  documentsMock.on(GetCommand).resolves({});
  cognitoMock.on(AdminCreateUserCommand).resolves({
    User: { Attributes: [{ Name: 'sub', Value: 'user-1' }] },
  });
});

describe('createSuperAdmin failures', () => {
  it('deletes the Cognito user when the record write fails', async () => {
    documentsMock.on(TransactWriteCommand).rejects(new Error('TransactionCanceledException'));

    await expect(create()).rejects.toThrow('TransactionCanceledException');
    expect(cognitoMock.commandCalls(AdminDeleteUserCommand)).toHaveLength(1);
    expect(cognitoMock.commandCalls(AdminDeleteUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'us-east-1_pool',
      Username: 'admin@example.com',
    });
  });

  it('explains a Cognito user left without a record', async () => {
    const exists = new Error('User account already exists');
    exists.name = 'UsernameExistsException';
    cognitoMock.on(AdminCreateUserCommand).rejects(exists);

    await expect(create()).rejects.toThrow(SuperAdminError);
    await expect(create()).rejects.toThrow(/admin-delete-user/);
    expect(documentsMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('asks Cognito to email the invitation', async () => {
    documentsMock.on(TransactWriteCommand).resolves({});

    await create();

    const input = cognitoMock.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
    expect(input?.DesiredDeliveryMediums).toEqual(['EMAIL']);
    expect(input?.TemporaryPassword).toBeUndefined();
    expect(input?.MessageAction).toBeUndefined();
  });
});
