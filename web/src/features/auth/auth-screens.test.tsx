// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { parseErrorBody } from '../../lib/api-error';
import { renderWithProviders } from '../../test/render';
import { AuthScreens } from './auth-screens';
import { explainMfaCodeError, explainSignInError } from './cognito-errors';

const INVITEE = 'new.user@example.test';
const NEW_PASSWORD = 'Correct-Horse-9';

describe('accept invite screen', () => {
  it('prefills the email from the link', () => {
    renderWithProviders(<AuthScreens />, {
      path: `/accept-invite?email=${encodeURIComponent(INVITEE)}`,
      auth: {},
    });

    expect(screen.getByRole('heading', { name: 'Accept your invitation' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /email/i })).toHaveProperty('value', INVITEE);
  });

  it('signs in with the temporary password', async () => {
    const user = userEvent.setup();
    const signIn = vi.fn(async () => undefined);
    renderWithProviders(<AuthScreens />, {
      path: `/accept-invite?email=${encodeURIComponent(INVITEE)}`,
      auth: { signIn },
    });

    await user.type(screen.getByLabelText(/temporary password/i), 'Temp-Pass-123!');
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    expect(signIn).toHaveBeenCalledWith(INVITEE, 'Temp-Pass-123!');
  });

  it('tells the invitee to ask for a new invitation', async () => {
    const user = userEvent.setup();
    const signIn = vi.fn(async () => {
      throw explainSignInError(
        parseErrorBody(400, {
          __type: 'NotAuthorizedException',
          message: 'Temporary password has expired and must be reset by an administrator.',
        }),
      );
    });
    renderWithProviders(<AuthScreens />, {
      path: `/accept-invite?email=${encodeURIComponent(INVITEE)}`,
      auth: { signIn },
    });

    await user.type(screen.getByLabelText(/temporary password/i), 'Old-Temp-Pass-1!');
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Your temporary password has expired');
    expect(alert.textContent).toContain('Ask your admin to resend the invitation');
  });

  it('shows the new-password step after sign-in', () => {
    renderWithProviders(<AuthScreens />, {
      path: `/accept-invite?email=${encodeURIComponent(INVITEE)}`,
      auth: { state: { status: 'newPasswordRequired', username: INVITEE } },
    });

    expect(screen.getByRole('heading', { name: 'Choose a new password' })).toBeTruthy();
    expect(screen.getByText(/finish accepting the invitation/)).toBeTruthy();
  });
});

describe('forgot password screen', () => {
  it('is linked from sign-in', async () => {
    const user = userEvent.setup();
    renderWithProviders(<AuthScreens />, { auth: {} });

    await user.click(screen.getByRole('link', { name: 'Forgot your password?' }));

    expect(await screen.findByRole('heading', { name: 'Reset your password' })).toBeTruthy();
  });

  it('resets the password and returns to sign-in', async () => {
    const user = userEvent.setup();
    const requestPasswordReset = vi.fn(async () => undefined);
    const confirmPasswordReset = vi.fn(async () => undefined);
    renderWithProviders(<AuthScreens />, {
      path: '/forgot-password',
      auth: { requestPasswordReset, confirmPasswordReset },
    });

    await user.type(screen.getByRole('textbox', { name: /email/i }), ' Forgetful@Example.TEST ');
    await user.click(screen.getByRole('button', { name: 'Send reset code' }));
    expect(await screen.findByText(/forgetful@example\.test has an account/)).toBeTruthy();
    await user.type(screen.getByRole('textbox', { name: /verification code/i }), ' 074008 ');
    await user.type(screen.getByLabelText(/^new password/i), NEW_PASSWORD);
    await user.type(screen.getByLabelText(/confirm new password/i), NEW_PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Reset password' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(
      screen.getByText('Your password has been reset. Sign in with your new password.'),
    ).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /email/i })).toHaveProperty(
      'value',
      'forgetful@example.test',
    );
    // Email inputs drop surrounding spaces, and the Cognito client lower-cases the email.
    expect(requestPasswordReset).toHaveBeenCalledWith('Forgetful@Example.TEST');
    expect(confirmPasswordReset).toHaveBeenCalledWith({
      email: 'forgetful@example.test',
      code: ' 074008 ',
      newPassword: NEW_PASSWORD,
    });
  });

  it('shows a wrong code and keeps the step', async () => {
    const user = userEvent.setup();
    const confirmPasswordReset = vi.fn(async () => {
      throw parseErrorBody(400, {
        __type: 'CodeMismatchException',
        message: 'Invalid verification code provided, please try again.',
      });
    });
    renderWithProviders(<AuthScreens />, {
      path: '/forgot-password',
      auth: { requestPasswordReset: vi.fn(async () => undefined), confirmPasswordReset },
    });

    await user.type(screen.getByRole('textbox', { name: /email/i }), 'forgetful@example.test');
    await user.click(screen.getByRole('button', { name: 'Send reset code' }));
    await user.type(await screen.findByRole('textbox', { name: /verification code/i }), '111111');
    await user.type(screen.getByLabelText(/^new password/i), NEW_PASSWORD);
    await user.type(screen.getByLabelText(/confirm new password/i), NEW_PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Reset password' }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'Invalid verification code provided, please try again.',
    );
    expect(screen.getByRole('heading', { name: 'Reset your password' })).toBeTruthy();
  });

  it('rejects a confirmation that differs', async () => {
    const user = userEvent.setup();
    const confirmPasswordReset = vi.fn(async () => undefined);
    renderWithProviders(<AuthScreens />, {
      path: '/forgot-password',
      auth: { requestPasswordReset: vi.fn(async () => undefined), confirmPasswordReset },
    });

    await user.type(screen.getByRole('textbox', { name: /email/i }), 'forgetful@example.test');
    await user.click(screen.getByRole('button', { name: 'Send reset code' }));
    await user.type(await screen.findByRole('textbox', { name: /verification code/i }), '111111');
    await user.type(screen.getByLabelText(/^new password/i), NEW_PASSWORD);
    await user.type(screen.getByLabelText(/confirm new password/i), `${NEW_PASSWORD}x`);
    await user.click(screen.getByRole('button', { name: 'Reset password' }));

    expect(await screen.findByText('The passwords do not match.')).toBeTruthy();
    expect(confirmPasswordReset).not.toHaveBeenCalled();
  });

  it('sends a new code on request', async () => {
    const user = userEvent.setup();
    const requestPasswordReset = vi.fn(async () => undefined);
    renderWithProviders(<AuthScreens />, {
      path: '/forgot-password',
      auth: { requestPasswordReset },
    });

    await user.type(screen.getByRole('textbox', { name: /email/i }), 'forgetful@example.test');
    await user.click(screen.getByRole('button', { name: 'Send reset code' }));
    await user.click(await screen.findByRole('button', { name: 'Send a new code' }));

    await waitFor(() => expect(requestPasswordReset).toHaveBeenCalledTimes(2));
    expect(requestPasswordReset).toHaveBeenLastCalledWith('forgetful@example.test');
    expect(await screen.findByText(/on its way to that address again/)).toBeTruthy();
  });

  it('disables the button while the code is requested', async () => {
    const user = userEvent.setup();
    let finish: () => void = () => undefined;
    const requestPasswordReset = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    renderWithProviders(<AuthScreens />, {
      path: '/forgot-password',
      auth: { requestPasswordReset },
    });

    await user.type(screen.getByRole('textbox', { name: /email/i }), 'forgetful@example.test');
    await user.click(screen.getByRole('button', { name: 'Send reset code' }));

    expect(await screen.findByRole('button', { name: /sending/i })).toHaveProperty(
      'disabled',
      true,
    );
    finish();
    expect(await screen.findByRole('textbox', { name: /verification code/i })).toBeTruthy();
  });
});

describe('authenticator code screen', () => {
  it('submits the code without spaces', async () => {
    const user = userEvent.setup();
    const answerMfa = vi.fn(async () => undefined);
    renderWithProviders(<AuthScreens />, {
      auth: { state: { status: 'mfaRequired', username: INVITEE }, answerMfa },
    });

    expect(screen.getByRole('heading', { name: 'Enter your authentication code' })).toBeTruthy();
    await user.type(screen.getByLabelText(/authentication code/i), '123 456');
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    expect(answerMfa).toHaveBeenCalledWith('123456');
  });

  it('shows a wrong code', async () => {
    const user = userEvent.setup();
    const answerMfa = vi.fn(async () => {
      throw explainMfaCodeError(
        parseErrorBody(400, { __type: 'CodeMismatchException', message: 'Invalid code' }),
      );
    });
    renderWithProviders(<AuthScreens />, {
      auth: { state: { status: 'mfaRequired', username: INVITEE }, answerMfa },
    });

    await user.type(screen.getByLabelText(/authentication code/i), '000000');
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('That code is not correct');
  });

  it('fills in the email after going back', () => {
    renderWithProviders(<AuthScreens />, {
      auth: { state: { status: 'signedOut', notice: null, email: INVITEE } },
    });

    expect(screen.getByRole('textbox', { name: /email/i })).toHaveProperty('value', INVITEE);
  });

  it('goes back to sign-in', async () => {
    const user = userEvent.setup();
    const signOut = vi.fn();
    renderWithProviders(<AuthScreens />, {
      auth: { state: { status: 'mfaRequired', username: INVITEE }, signOut },
    });

    await user.click(screen.getByRole('button', { name: 'Back to sign-in' }));

    expect(signOut).toHaveBeenCalledTimes(1);
  });
});
