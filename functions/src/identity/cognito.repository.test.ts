import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { unitTestEnv } from '../../test/factories';
import { deleteCognitoUser, resetTemporaryPassword } from './cognito.repository';

const cognitoMock = mockClient(CognitoIdentityProviderClient);
const email = 'invited@example.test';

describe('cognito repository', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    cognitoMock.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('resend uses RESEND in AWS', async () => {
    cognitoMock.on(AdminCreateUserCommand).resolves({});

    await resetTemporaryPassword(email, 'New-Temp-Password-1');

    const [call] = cognitoMock.commandCalls(AdminCreateUserCommand);
    expect(call?.args[0].input).toEqual({
      UserPoolId: unitTestEnv.USER_POOL_ID,
      Username: email,
      TemporaryPassword: 'New-Temp-Password-1',
      MessageAction: 'RESEND',
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognitoMock.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
  });

  it('resend works after the password expired', async () => {
    // Cognito rejects an expired temporary password at sign-in, but RESEND replaces it.
    cognitoMock.on(AdminCreateUserCommand, { MessageAction: 'RESEND' }).resolves({
      User: { Username: email, UserStatus: 'FORCE_CHANGE_PASSWORD' },
    });

    await expect(resetTemporaryPassword(email, 'New-Temp-Password-1')).resolves.toBeUndefined();
  });

  it('resend sets a temporary password locally', async () => {
    vi.stubEnv('CREDITGATE_LOCAL', '1');
    cognitoMock.on(AdminSetUserPasswordCommand).resolves({});

    await resetTemporaryPassword(email, 'New-Temp-Password-1');

    const [call] = cognitoMock.commandCalls(AdminSetUserPasswordCommand);
    expect(call?.args[0].input).toEqual({
      UserPoolId: unitTestEnv.USER_POOL_ID,
      Username: email,
      Password: 'New-Temp-Password-1',
      Permanent: false,
    });
    expect(cognitoMock.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
  });

  it('delete ignores a missing user', async () => {
    cognitoMock
      .on(AdminDeleteUserCommand)
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));

    await expect(deleteCognitoUser(email)).resolves.toBeUndefined();
  });

  it('delete passes other failures on', async () => {
    const failure = new Error('Rate exceeded');
    failure.name = 'TooManyRequestsException';
    cognitoMock.on(AdminDeleteUserCommand).rejects(failure);

    await expect(deleteCognitoUser(email)).rejects.toThrow('Rate exceeded');
  });
});
