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

/** Replaces `fetch` with one that responds to each call with the next of `bodies` (HTTP 200). */
function answerInTurn(...bodies: unknown[]) {
  const fetchMock = vi.fn(
    async (_url: string, _init: RequestInit) =>
      new Response(JSON.stringify(bodies.shift() ?? {}), {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
      }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function sentRequests(fetchMock: ReturnType<typeof answerInTurn>) {
  return fetchMock.mock.calls.map(([, init]) => ({
    target: new Headers(init.headers).get('x-amz-target')?.split('.').at(-1),
    body: JSON.parse(String(init.body)),
  }));
}

describe('cognito client two-step verification', () => {
  it('reports the authenticator challenge', async () => {
    answerWith(200, {
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      ChallengeParameters: { USER_ID_FOR_SRP: 'user-sub-1' },
      Session: 'challenge-session',
    });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    const result = await cognito.signIn('Admin@Example.test', 'Correct-Horse-9');

    expect(result).toEqual({
      kind: 'mfaRequired',
      username: 'user-sub-1',
      session: 'challenge-session',
    });
  });

  it('responds with the trimmed code', async () => {
    const fetchMock = answerWith(200, {
      AuthenticationResult: { IdToken: 'id', AccessToken: 'access', ExpiresIn: 3600 },
    });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    const tokens = await cognito.answerMfaChallenge({
      username: 'user-sub-1',
      session: 'challenge-session',
      code: ' 123456 ',
    });

    expect(tokens.idToken).toBe('id');
    expect(sentRequest(fetchMock)).toEqual({
      target: 'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
      body: {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        ClientId: CLIENT_ID,
        Session: 'challenge-session',
        ChallengeResponses: { USERNAME: 'user-sub-1', SOFTWARE_TOKEN_MFA_CODE: '123456' },
      },
    });
  });

  it('explains a wrong code at sign-in', async () => {
    answerWith(400, { __type: 'CodeMismatchException', message: 'Invalid code received' });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    const attempt = cognito.answerMfaChallenge({ username: 'u', session: 's', code: '000000' });

    await expect(attempt).rejects.toMatchObject({ code: 'WRONG_MFA_CODE' });
  });

  it('reads whether the app is on', async () => {
    const fetchMock = answerWith(200, { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'] });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    const status = await cognito.getMfaStatus('access-token');

    expect(status).toEqual({ isEnabled: true });
    expect(sentRequest(fetchMock)).toEqual({
      target: 'AWSCognitoIdentityProviderService.GetUser',
      body: { AccessToken: 'access-token' },
    });
  });

  it('reads a user without MFA settings as off', async () => {
    answerWith(200, { Username: 'user-sub-1' });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    await expect(cognito.getMfaStatus('access-token')).resolves.toEqual({ isEnabled: false });
  });

  it('verifies the code, then prefers the app', async () => {
    const fetchMock = answerInTurn({ Status: 'SUCCESS' }, {});
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    await cognito.confirmMfaSetup({
      accessToken: 'access-token',
      code: '123456',
      deviceName: 'Authenticator app',
    });

    expect(sentRequests(fetchMock)).toEqual([
      {
        target: 'VerifySoftwareToken',
        body: {
          AccessToken: 'access-token',
          UserCode: '123456',
          FriendlyDeviceName: 'Authenticator app',
        },
      },
      {
        target: 'SetUserMFAPreference',
        body: {
          AccessToken: 'access-token',
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        },
      },
    ]);
  });

  it('keeps the app off after a failed check', async () => {
    const fetchMock = answerInTurn({ Status: 'ERROR' });
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    const attempt = cognito.confirmMfaSetup({
      accessToken: 'access-token',
      code: '123456',
      deviceName: 'Authenticator app',
    });

    await expect(attempt).rejects.toMatchObject({ code: 'WRONG_MFA_CODE' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('turns the app off', async () => {
    const fetchMock = answerWith(200, {});
    const cognito = createCognitoClient({ endpoint: ENDPOINT, clientId: CLIENT_ID });

    await cognito.disableMfa('access-token');

    expect(sentRequest(fetchMock)).toEqual({
      target: 'AWSCognitoIdentityProviderService.SetUserMFAPreference',
      body: {
        AccessToken: 'access-token',
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      },
    });
  });
});
