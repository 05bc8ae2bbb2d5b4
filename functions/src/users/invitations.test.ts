import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  InvalidParameterException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@creditgate/shared';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newUserId, tenantA, unitTestEnv } from '../../test/factories';
import { logger } from '../lib/logger';
import { createInvitedAccount } from './invitations';

const cognitoMock = mockClient(CognitoIdentityProviderClient);
const ddbMock = mockClient(DynamoDBDocumentClient);

const email = 'new.user@example.test';

function invitation(rollback: () => Promise<void>) {
  return {
    tenantId: tenantA,
    tenantName: 'Acme',
    email,
    role: 'User' as const,
    now: '2025-01-01T00:00:00.000Z',
    actor: { userId: 'actor-1', email: 'admin@example.test', requestId: 'req-test-1' },
    rollback,
  };
}

/** Makes Cognito create the user and return `sub` as its id. */
function cognitoCreates(sub: string): void {
  cognitoMock.on(AdminCreateUserCommand).resolves({
    User: { Username: email, Attributes: [{ Name: 'sub', Value: sub }] },
  });
}

/** Runs `createInvitedAccount` and returns the error it throws, failing the test otherwise. */
async function captureInviteError(rollback: () => Promise<void>): Promise<unknown> {
  try {
    await createInvitedAccount(invitation(rollback));
  } catch (error) {
    return error;
  }
  throw new Error('Expected createInvitedAccount to throw');
}

describe('createInvitedAccount', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    cognitoMock.reset();
    ddbMock.reset();
    // The tests check logged errors through this spy, so nothing is printed.
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('creates invited user', async () => {
    const userId = newUserId();
    cognitoCreates(userId);
    ddbMock.on(TransactWriteCommand).resolves({});
    const rollback = vi.fn(async () => undefined);

    const user = await createInvitedAccount(invitation(rollback));

    expect(user).toMatchObject({ userId, tenantId: tenantA, email, status: 'INVITED', balance: 0 });
    expect(rollback).not.toHaveBeenCalled();
    expect(cognitoMock.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
  });

  it('sends Cognito the tenant and role', async () => {
    cognitoCreates(newUserId());
    ddbMock.on(TransactWriteCommand).resolves({});

    await createInvitedAccount(invitation(vi.fn(async () => undefined)));

    const [call] = cognitoMock.commandCalls(AdminCreateUserCommand);
    expect(call?.args[0].input).toMatchObject({
      UserPoolId: unitTestEnv.USER_POOL_ID,
      Username: email,
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: expect.arrayContaining([
        { Name: 'custom:tenantId', Value: tenantA },
        { Name: 'custom:role', Value: 'User' },
      ]),
    });
  });

  it('maps existing Cognito user to USER_EXISTS', async () => {
    cognitoMock
      .on(AdminCreateUserCommand)
      .rejects(
        new UsernameExistsException({ message: 'User account already exists', $metadata: {} }),
      );
    const rollback = vi.fn(async () => undefined);

    const error = await captureInviteError(rollback);

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('USER_EXISTS');
    expect(rollback).toHaveBeenCalledOnce();
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('maps rejected email to VALIDATION_FAILED', async () => {
    cognitoMock
      .on(AdminCreateUserCommand)
      .rejects(
        new InvalidParameterException({ message: 'Invalid email address format.', $metadata: {} }),
      );
    const rollback = vi.fn(async () => undefined);

    const error = await captureInviteError(rollback);

    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    expect((error as AppError).details).toEqual({
      fields: [{ field: 'email', message: 'was rejected by the identity provider' }],
    });
    expect(rollback).toHaveBeenCalledOnce();
  });

  it('rethrows other Cognito errors after rollback', async () => {
    const throttled = new Error('Rate exceeded');
    throttled.name = 'TooManyRequestsException';
    cognitoMock.on(AdminCreateUserCommand).rejects(throttled);
    const rollback = vi.fn(async () => undefined);

    const error = await captureInviteError(rollback);

    expect(error).toBe(throttled);
    expect(rollback).toHaveBeenCalledOnce();
  });

  it('rolls back when Cognito returns no sub', async () => {
    cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: email, Attributes: [] } });
    const rollback = vi.fn(async () => undefined);

    await captureInviteError(rollback);

    expect(rollback).toHaveBeenCalledOnce();
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('deletes Cognito user when record write fails', async () => {
    cognitoCreates(newUserId());
    const writeError = new Error('Internal server error');
    ddbMock.on(TransactWriteCommand).rejects(writeError);
    cognitoMock.on(AdminDeleteUserCommand).resolves({});
    const rollback = vi.fn(async () => undefined);

    const error = await captureInviteError(rollback);

    expect(error).toBe(writeError);
    expect(cognitoMock.commandCalls(AdminDeleteUserCommand)).toHaveLength(1);
    expect(cognitoMock.commandCalls(AdminDeleteUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: unitTestEnv.USER_POOL_ID,
      Username: email,
    });
    expect(rollback).toHaveBeenCalledOnce();
  });

  it('rolls back when Cognito cleanup fails too', async () => {
    cognitoCreates(newUserId());
    const writeError = new Error('Internal server error');
    ddbMock.on(TransactWriteCommand).rejects(writeError);
    cognitoMock.on(AdminDeleteUserCommand).rejects(new Error('Service unavailable'));
    const rollback = vi.fn(async () => undefined);

    const error = await captureInviteError(rollback);

    expect(error).toBe(writeError);
    expect(rollback).toHaveBeenCalledOnce();
    expect(logger.error).toHaveBeenCalledWith('Cognito user cleanup failed', expect.anything());
  });

  it('replaces Cognito user left by a deletion', async () => {
    const userId = newUserId();
    cognitoMock
      .on(AdminCreateUserCommand)
      .rejectsOnce(
        new UsernameExistsException({ message: 'User account already exists', $metadata: {} }),
      )
      .resolves({ User: { Username: email, Attributes: [{ Name: 'sub', Value: userId }] } });
    cognitoMock.on(AdminDeleteUserCommand).resolves({});
    ddbMock.on(TransactWriteCommand).resolves({});
    const rollback = vi.fn(async () => undefined);

    const user = await createInvitedAccount(invitation(rollback));

    expect(user.userId).toBe(userId);
    expect(cognitoMock.commandCalls(AdminDeleteUserCommand)).toHaveLength(1);
    expect(cognitoMock.commandCalls(AdminCreateUserCommand)).toHaveLength(2);
    expect(rollback).not.toHaveBeenCalled();
  });
});
