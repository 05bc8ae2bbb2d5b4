import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tenantA, unitTestEnv } from '../../test/factories';
import { logger } from '../lib/logger';
import { handler } from './custom-message.handler';

const ddbMock = mockClient(DynamoDBDocumentClient);

function triggerEvent(
  triggerSource: CustomMessageTriggerEvent['triggerSource'],
): CustomMessageTriggerEvent {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: unitTestEnv.USER_POOL_ID,
    userName: 'b7c1f0de-0000-4000-8000-000000000001',
    callerContext: { awsSdkVersion: 'test', clientId: 'unit-test-client' },
    triggerSource,
    request: {
      userAttributes: { email: 'new.user@example.test', 'custom:tenantId': tenantA },
      codeParameter: '{####}',
      usernameParameter: '{username}',
      linkParameter: '{##Click Here##}',
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  } as CustomMessageTriggerEvent;
}

describe('custom message trigger', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    vi.stubEnv('WEB_URL', 'https://app.creditgate.test');
    ddbMock.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('invitation names tenant and placeholders', async () => {
    ddbMock.on(GetCommand).resolves({ Item: { tenantId: tenantA, name: 'Acme <Labs>' } });

    const result = await handler(triggerEvent('CustomMessage_AdminCreateUser'));

    expect(result.response.emailSubject).toBe('You are invited to Acme <Labs> on Creditgate');
    expect(result.response.emailMessage).toContain('Acme &lt;Labs&gt;');
    expect(result.response.emailMessage).toContain('{username}');
    expect(result.response.emailMessage).toContain('{####}');
    expect(result.response.emailMessage).toContain(
      'https://app.creditgate.test/accept-invite?email=new.user%40example.test',
    );
  });

  it('invitation survives a failed tenant read', async () => {
    ddbMock.on(GetCommand).rejects(new Error('Throttled'));
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    const result = await handler(triggerEvent('CustomMessage_AdminCreateUser'));

    expect(result.response.emailSubject).toBe('You are invited to Creditgate on Creditgate');
    expect(result.response.emailMessage).toContain('{####}');
    expect(logged).toHaveBeenCalledOnce();
  });

  it('password reset carries the code', async () => {
    const result = await handler(triggerEvent('CustomMessage_ForgotPassword'));

    expect(result.response.emailSubject).toBe('Your Creditgate password reset code');
    expect(result.response.emailMessage).toContain('{####}');
    expect(result.response.emailMessage).toContain('https://app.creditgate.test/forgot-password');
    expect(ddbMock.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('other messages keep Cognito defaults', async () => {
    const event = triggerEvent('CustomMessage_UpdateUserAttribute');

    const result = await handler(event);

    expect(result.response.emailMessage).toBeNull();
    expect(result.response.emailSubject).toBeNull();
  });
});
