import { ApiError } from '../../lib/api-error';

/**
 * Cognito returns several failures as `NotAuthorizedException` and distinguishes them only
 * by message, such as `Temporary password has expired and must be reset by an
 * administrator.`, `User is disabled.` and `User password cannot be reset in the current
 * state.` (as AWS SDK and Amplify issue reports quote them).
 */
const TEMPORARY_PASSWORD_EXPIRED = /temporary password has expired/i;
const USER_DISABLED = /user is disabled/i;
const RESET_NOT_ALLOWED = /cannot be reset in the current state/i;

/** Cognito's codes for a wrong password or an unknown user, in AWS and in cognito-local. */
const WRONG_CREDENTIALS = [
  'NotAuthorizedException',
  'UserNotFoundException',
  'InvalidPasswordException',
];

const isSpecialCase = (message: string): boolean =>
  TEMPORARY_PASSWORD_EXPIRED.test(message) ||
  USER_DISABLED.test(message) ||
  RESET_NOT_ALLOWED.test(message);

export const TEMPORARY_PASSWORD_EXPIRED_MESSAGE =
  'Your temporary password has expired. Ask your admin to resend the invitation, then use the new temporary password from that email.';

/**
 * Replaces Cognito's sign-in messages that leave the user without a next step, such as an
 * expired temporary password, with one that names it. Other errors are returned unchanged.
 */
export function explainSignInError(error: unknown): unknown {
  if (
    error instanceof ApiError &&
    WRONG_CREDENTIALS.includes(error.code) &&
    !isSpecialCase(error.message)
  ) {
    // One message for a wrong password and an unknown email, so sign-in does not reveal
    // which emails have accounts (cognito-local answers them differently).
    return new ApiError(error.status, 'WRONG_CREDENTIALS', 'Incorrect email or password.', {
      cause: error,
    });
  }
  if (!(error instanceof ApiError) || error.code !== 'NotAuthorizedException') return error;
  if (TEMPORARY_PASSWORD_EXPIRED.test(error.message)) {
    return new ApiError(
      error.status,
      'TEMPORARY_PASSWORD_EXPIRED',
      TEMPORARY_PASSWORD_EXPIRED_MESSAGE,
      {
        cause: error,
      },
    );
  }
  if (USER_DISABLED.test(error.message)) {
    return new ApiError(
      error.status,
      'USER_DISABLED',
      'Your account is disabled. Ask your admin to enable it.',
      { cause: error },
    );
  }
  return error;
}

/**
 * Explains a failed `ForgotPassword`. An invited user who never signed in has no password to
 * reset, and Cognito rejects the request for that reason.
 */
export function explainPasswordResetError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.code === 'NotAuthorizedException' && RESET_NOT_ALLOWED.test(error.message)) {
    return new ApiError(
      error.status,
      'PASSWORD_RESET_NOT_ALLOWED',
      'This account has no password of its own yet. Sign in with the temporary password from your invitation email, or ask your admin to resend the invitation.',
      { cause: error },
    );
  }
  return explainSignInError(error);
}

export const WRONG_MFA_CODE_MESSAGE =
  'That code is not correct. Enter the 6-digit code that your authenticator app shows now.';

/** Cognito's codes for a wrong authenticator code: at sign-in, and when adding an app. */
const WRONG_MFA_CODE = ['CodeMismatchException', 'EnableSoftwareTokenMFAException'];
/** Cognito's message for a challenge session that has expired (the app client's `AuthSessionValidity`). */
const SESSION_EXPIRED = /invalid session|session is expired/i;

/**
 * Replaces Cognito's messages for an authenticator code with one that names the next step:
 * enter the current code, wait for the next one, or sign in again. Other errors are
 * returned unchanged.
 */
export function explainMfaCodeError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (WRONG_MFA_CODE.includes(error.code)) {
    return new ApiError(error.status, 'WRONG_MFA_CODE', WRONG_MFA_CODE_MESSAGE, { cause: error });
  }
  if (error.code === 'ExpiredCodeException') {
    return new ApiError(
      error.status,
      'MFA_CODE_USED',
      'That code was used already. Wait for the next code in your authenticator app.',
      { cause: error },
    );
  }
  if (error.code === 'NotAuthorizedException' && SESSION_EXPIRED.test(error.message)) {
    return new ApiError(
      error.status,
      'SIGN_IN_EXPIRED',
      'This sign-in has expired. Go back and sign in again.',
      { cause: error },
    );
  }
  return error;
}
