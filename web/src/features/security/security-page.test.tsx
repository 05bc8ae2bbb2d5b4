// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { parseErrorBody } from '../../lib/api-error';
import { createMe, renderWithProviders } from '../../test/render';
import type { AuthContextValue } from '../auth/auth-provider';
import { explainMfaCodeError } from '../auth/cognito-errors';
import { authenticatorUri } from './authenticator-setup';
import { SecurityPage } from './security-page';

const me = createMe({ email: 'admin@example.test' });
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function fakeMfa(fields: Partial<AuthContextValue['mfa']>): AuthContextValue['mfa'] {
  return {
    getStatus: vi.fn(async () => ({ isEnabled: false })),
    startSetup: vi.fn(async () => ({ secret: SECRET })),
    confirmSetup: vi.fn(async () => undefined),
    disable: vi.fn(async () => undefined),
    ...fields,
  };
}

describe('authenticatorUri', () => {
  it('names the issuer and the account', () => {
    expect(authenticatorUri(SECRET, 'a+b@example.test')).toBe(
      `otpauth://totp/Creditgate:a%2Bb%40example.test?secret=${SECRET}&issuer=Creditgate`,
    );
  });
});

describe('SecurityPage', () => {
  it('turns the app on with a code', async () => {
    const user = userEvent.setup();
    const mfa = fakeMfa({});
    renderWithProviders(<SecurityPage />, { auth: { me, mfa } });

    expect(await screen.findByText('Off')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Set up authenticator app' }));
    const secretKey = await screen.findByRole('textbox', { name: 'Secret key' });
    expect(secretKey).toHaveProperty('value', 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(screen.getByRole('img', { name: 'QR code for your authenticator app' })).toBeTruthy();
    await user.type(screen.getByLabelText(/authentication code/i), '123456');
    await user.click(screen.getByRole('button', { name: 'Verify and turn on' }));

    expect(mfa.confirmSetup).toHaveBeenCalledWith('123456');
    expect(await screen.findByText('On')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Turn off' })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Secret key' })).toBeNull();
  });

  it('keeps the setup open after a wrong code', async () => {
    const user = userEvent.setup();
    const mfa = fakeMfa({
      confirmSetup: vi.fn(async () => {
        throw explainMfaCodeError(
          parseErrorBody(400, { __type: 'EnableSoftwareTokenMFAException', message: 'Mismatch' }),
        );
      }),
    });
    renderWithProviders(<SecurityPage />, { auth: { me, mfa } });

    await user.click(await screen.findByRole('button', { name: 'Set up authenticator app' }));
    await user.type(screen.getByLabelText(/authentication code/i), '000000');
    await user.click(screen.getByRole('button', { name: 'Verify and turn on' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('That code is not correct');
    expect(screen.getByText('Off')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Secret key' })).toBeTruthy();
  });

  it('asks for a whole code', async () => {
    const user = userEvent.setup();
    const mfa = fakeMfa({});
    renderWithProviders(<SecurityPage />, { auth: { me, mfa } });

    await user.click(await screen.findByRole('button', { name: 'Set up authenticator app' }));
    await user.type(screen.getByLabelText(/authentication code/i), '12345');
    await user.click(screen.getByRole('button', { name: 'Verify and turn on' }));

    expect(await screen.findByText(/Enter the 6 digits/)).toBeTruthy();
    expect(mfa.confirmSetup).not.toHaveBeenCalled();
  });

  it('keeps only the digits of a pasted code', async () => {
    const user = userEvent.setup();
    renderWithProviders(<SecurityPage />, { auth: { me, mfa: fakeMfa({}) } });

    await user.click(await screen.findByRole('button', { name: 'Set up authenticator app' }));
    const field = screen.getByLabelText(/authentication code/i);
    await user.click(field);
    await user.paste('706 672 9');

    expect(field).toHaveProperty('value', '706672');
  });

  it('turns the app off with password and code', async () => {
    const user = userEvent.setup();
    const mfa = fakeMfa({ getStatus: vi.fn(async () => ({ isEnabled: true })) });
    renderWithProviders(<SecurityPage />, { auth: { me, mfa } });

    await user.click(await screen.findByRole('button', { name: 'Turn off' }));
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Turn off two-step verification?',
    });
    await user.type(within(dialog).getByLabelText(/password/i), 'Correct-Horse-9');
    await user.type(within(dialog).getByLabelText(/authentication code/i), '123456');
    await user.click(within(dialog).getByRole('button', { name: 'Turn off' }));

    expect(mfa.disable).toHaveBeenCalledWith({ password: 'Correct-Horse-9', code: '123456' });
    expect(await screen.findByText('Off')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Set up authenticator app' })).toBeTruthy();
  });

  it('shows a failed status read', async () => {
    const mfa = fakeMfa({
      getStatus: vi.fn(async () => {
        throw parseErrorBody(400, {
          __type: 'NotAuthorizedException',
          message: 'Access Token has expired',
        });
      }),
    });
    renderWithProviders(<SecurityPage />, { auth: { me, mfa } });

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Access Token has expired');
    expect(screen.queryByRole('button', { name: 'Set up authenticator app' })).toBeNull();
  });
});
