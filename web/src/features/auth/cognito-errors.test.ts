import { describe, expect, it } from 'vitest';
import { ApiError, parseErrorBody } from '../../lib/api-error';
import {
  explainMfaCodeError,
  explainPasswordResetError,
  explainSignInError,
  TEMPORARY_PASSWORD_EXPIRED_MESSAGE,
} from './cognito-errors';

const notAuthorized = (message: string) =>
  parseErrorBody(400, { __type: 'NotAuthorizedException', message });

describe('explainSignInError', () => {
  it('explains an expired temporary password', () => {
    const error = explainSignInError(
      notAuthorized('Temporary password has expired and must be reset by an administrator.'),
    );

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('TEMPORARY_PASSWORD_EXPIRED');
    expect((error as ApiError).message).toBe(TEMPORARY_PASSWORD_EXPIRED_MESSAGE);
    expect((error as ApiError).message).toContain('Ask your admin to resend the invitation');
  });

  it('explains a disabled user', () => {
    const error = explainSignInError(notAuthorized('User is disabled.')) as ApiError;

    expect(error.code).toBe('USER_DISABLED');
    expect(error.message).toBe('Your account is disabled. Ask your admin to enable it.');
  });

  it('words wrong password and unknown user alike', () => {
    const wrongPassword = explainSignInError(notAuthorized('Incorrect username or password.'));
    const unknownUser = explainSignInError(
      new ApiError(400, 'UserNotFoundException', 'User does not exist.'),
    );
    const localWrongPassword = explainSignInError(
      new ApiError(400, 'InvalidPasswordException', 'Invalid password'),
    );

    for (const error of [wrongPassword, unknownUser, localWrongPassword]) {
      expect(error).toMatchObject({
        code: 'WRONG_CREDENTIALS',
        message: 'Incorrect email or password.',
      });
    }
  });

  it('keeps other errors unchanged', () => {
    const original = new TypeError('Failed to fetch');

    expect(explainSignInError(original)).toBe(original);
  });
});

describe('explainPasswordResetError', () => {
  it('explains a user who never set a password', () => {
    const error = explainPasswordResetError(
      notAuthorized('User password cannot be reset in the current state.'),
    ) as ApiError;

    expect(error.code).toBe('PASSWORD_RESET_NOT_ALLOWED');
    expect(error.message).toContain('temporary password from your invitation email');
  });

  it('keeps a rate limit unchanged', () => {
    const original = parseErrorBody(400, {
      __type: 'LimitExceededException',
      message: 'Attempt limit exceeded, please try after some time.',
    });

    expect(explainPasswordResetError(original)).toBe(original);
  });
});

describe('explainMfaCodeError', () => {
  it.each(['CodeMismatchException', 'EnableSoftwareTokenMFAException'])(
    'explains %s as a wrong code',
    (type) => {
      const error = explainMfaCodeError(
        parseErrorBody(400, { __type: type, message: 'Code mismatch' }),
      ) as ApiError;

      expect(error.code).toBe('WRONG_MFA_CODE');
      expect(error.message).toContain('Enter the 6-digit code');
    },
  );

  it('explains a used code', () => {
    const error = explainMfaCodeError(
      parseErrorBody(400, {
        __type: 'ExpiredCodeException',
        message: 'Your software token has already been used once.',
      }),
    ) as ApiError;

    expect(error.code).toBe('MFA_CODE_USED');
    expect(error.message).toContain('Wait for the next code');
  });

  it('explains an expired sign-in', () => {
    const error = explainMfaCodeError(
      notAuthorized('Invalid session for the user, session is expired.'),
    ) as ApiError;

    expect(error.code).toBe('SIGN_IN_EXPIRED');
    expect(error.message).toBe('This sign-in has expired. Go back and sign in again.');
  });

  it('keeps other errors', () => {
    const original = notAuthorized('Incorrect username or password.');

    expect(explainMfaCodeError(original)).toBe(original);
  });
});
