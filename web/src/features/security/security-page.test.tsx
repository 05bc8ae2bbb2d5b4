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
    const secretKey = await screen.findByLabelText('Secret key', { selector: 'code' });
    expect(secretKey.textContent).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    await user.type(screen.getByLabelText(/authentication code/i), '123456');
    await user.click(screen.getByRole('button', { name: 'Verify and turn on' }));

    expect(mfa.confirmSetup).toHaveBeenCalledWith('123456');
    expect(await screen.findByText('On')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Turn off' })).toBeTruthy();
    expect(screen.queryByLabelText('Secret key', { selector: 'code' })).toBeNull();
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
    expect(screen.getByLabelText('Secret key', { selector: 'code' })).toBeTruthy();
  });

  it('turns the app off after confirming', async () => {
    const user = userEvent.setup();
    const mfa = fakeMfa({ getStatus: vi.fn(async () => ({ isEnabled: true })) });
    renderWithProviders(<SecurityPage />, { auth: { me, mfa } });

    await user.click(await screen.findByRole('button', { name: 'Turn off' }));
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Turn off two-step verification?',
    });
    await user.click(within(dialog).getByRole('button', { name: 'Turn off' }));

    expect(mfa.disable).toHaveBeenCalledTimes(1);
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
