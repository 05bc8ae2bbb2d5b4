import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api-error';
import { createCognitoClient } from './cognito-client';

const ENDPOINT = 'http://127.0.0.1:9229/';
const CLIENT_ID = 'local-client-id';

/** Replaces `fetch` with one that responds to every call with `status` and `body`. */
function answerWith(status: number, body: unknown) {
  const fetchMock = vi.fn(
    async (_url: string, _init: RequestInit) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
      }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function sentRequest(fetchMock: ReturnType<typeof answerWith>) {
  const init = fetchMock.mock.calls[0]?.[1];
  const headers = new Headers(init?.headers);
  return { target: headers.get('x-amz-target'), body: JSON.parse(String(init?.body)) };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('cognito client password reset', () => {
  it('sends ForgotPassword with the normalized email', async () => {
    const fetchMock = answerWith(200, { CodeDeliveryDetails: { DeliveryMedium: 'EMAIL' } });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    await cognito.requestPasswordReset(' Forgetful@Example.TEST ');

    expect(fetchMock.mock.calls[0]?.[0]).toBe(ENDPOINT);
    expect(sentRequest(fetchMock)).toEqual({
      target: 'AWSCognitoIdentityProviderService.ForgotPassword',
      body: { ClientId: CLIENT_ID, Username: 'forgetful@example.test' },
    });
  });

  it('treats an unknown email as sent', async () => {
    answerWith(400, { __type: 'UserNotFoundException', message: 'User not found' });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    await expect(cognito.requestPasswordReset('nobody@example.test')).resolves.toBeUndefined();
  });

  it('rejects a rate-limited request', async () => {
    answerWith(400, {
      __type: 'LimitExceededException',
      message: 'Attempt limit exceeded, please try after some time.',
    });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    await expect(cognito.requestPasswordReset('forgetful@example.test')).rejects.toMatchObject({
      code: 'LimitExceededException',
      message: 'Attempt limit exceeded, please try after some time.',
    });
  });

  it('sends ConfirmForgotPassword with the trimmed code', async () => {
    const fetchMock = answerWith(200, {});
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    await cognito.confirmPasswordReset({
      email: 'Forgetful@Example.test',
      code: ' 074008 ',
      newPassword: 'Correct-Horse-9',
    });

    expect(sentRequest(fetchMock)).toEqual({
      target: 'AWSCognitoIdentityProviderService.ConfirmForgotPassword',
      body: {
        ClientId: CLIENT_ID,
        Username: 'forgetful@example.test',
        ConfirmationCode: '074008',
        Password: 'Correct-Horse-9',
      },
    });
  });

  it('answers an unknown user like a wrong code', async () => {
    answerWith(400, { __type: 'UserNotFoundException', message: 'User not found' });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    const attempt = cognito.confirmPasswordReset({
      email: 'nobody@example.test',
      code: '074008',
      newPassword: 'Correct-Horse-9',
    });

    await expect(attempt).rejects.toMatchObject({
      code: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
  });
});

describe('cognito client sign-in', () => {
  it('explains an expired temporary password', async () => {
    answerWith(400, {
      __type: 'NotAuthorizedException',
      message: 'Temporary password has expired and must be reset by an administrator.',
    });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    const error = await cognito.signIn('invitee@example.test', 'Old-Temp-1!').catch((e) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('TEMPORARY_PASSWORD_EXPIRED');
    expect(error.message).toContain('Ask your admin to resend the invitation');
  });
});
