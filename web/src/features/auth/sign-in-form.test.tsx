// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { parseErrorBody } from '../../lib/api-error';
import { renderWithProviders } from '../../test/render';
import { NewPasswordForm } from './new-password-form';
import { SignInForm } from './sign-in-form';

describe('SignInForm', () => {
  it('shows the Cognito error message', async () => {
    const user = userEvent.setup();
    const onSignIn = vi.fn(async () => {
      throw parseErrorBody(400, {
        __type: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
    });
    renderWithProviders(<SignInForm onSignIn={onSignIn} />);

    await user.type(screen.getByRole('textbox', { name: /email/i }), 'admin@example.test');
    await user.type(screen.getByLabelText(/password/i), 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      'Incorrect username or password.',
    );
    expect(onSignIn).toHaveBeenCalledWith('admin@example.test', 'wrong-password');
  });

  it('shows why the last session ended', () => {
    renderWithProviders(<SignInForm onSignIn={vi.fn()} notice="Your session has ended." />);

    expect(screen.getByText('Your session has ended.')).toBeTruthy();
  });
});

describe('NewPasswordForm', () => {
  it('rejects a confirmation that differs', async () => {
    const user = userEvent.setup();
    const onSetPassword = vi.fn(async () => undefined);
    renderWithProviders(<NewPasswordForm onSetPassword={onSetPassword} onCancel={vi.fn()} />);

    await user.type(screen.getByLabelText(/^new password/i), 'Correct-Horse-9');
    await user.type(screen.getByLabelText(/confirm new password/i), 'Correct-Horse-8');
    await user.click(screen.getByRole('button', { name: 'Set password and continue' }));

    expect(await screen.findByText('The passwords do not match.')).toBeTruthy();
    expect(onSetPassword).not.toHaveBeenCalled();
  });
});
