// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { parseErrorBody } from '../../lib/api-error';
import { createTenant } from '../../test/factories';
import { renderWithProviders } from '../../test/render';
import { GrantCreditsDialog } from './grant-credits-dialog';

const tenant = createTenant();

describe('GrantCreditsDialog', () => {
  it('requires a reason before sending', async () => {
    const user = userEvent.setup();
    const grantCredits = vi.fn(async () => ({ poolBalance: 9_000 }));
    const onGranted = vi.fn();
    renderWithProviders(<GrantCreditsDialog tenant={tenant} onGranted={onGranted} />, {
      api: { grantCredits },
    });

    await user.click(screen.getByRole('button', { name: 'Grant credits to Acme' }));
    const dialog = await screen.findByRole('dialog', { name: 'Grant credits to Acme' });
    await user.type(within(dialog).getByLabelText(/^Amount/), '1000');
    await user.type(within(dialog).getByLabelText(/^Reason/), '   ');
    await user.click(within(dialog).getByRole('button', { name: 'Grant' }));

    expect(await within(dialog).findByText('Enter a reason.')).toBeTruthy();
    expect(grantCredits).not.toHaveBeenCalled();

    await user.type(within(dialog).getByLabelText(/^Reason/), 'Top-up');
    await user.click(within(dialog).getByRole('button', { name: 'Grant' }));

    await waitFor(() => expect(onGranted).toHaveBeenCalledWith(tenant.tenantId, 9_000));
    expect(grantCredits).toHaveBeenCalledWith(
      tenant.tenantId,
      { amount: 1000, reason: 'Top-up' },
      expect.any(String),
    );
  });

  it('clears a rejection once the amount changes', async () => {
    const user = userEvent.setup();
    const grantCredits = vi.fn(async () => {
      throw parseErrorBody(409, {
        error: { code: 'CREDIT_LIMIT_EXCEEDED', message: 'Above the credit limit' },
      });
    });
    renderWithProviders(<GrantCreditsDialog tenant={tenant} onGranted={vi.fn()} />, {
      api: { grantCredits },
    });

    await user.click(screen.getByRole('button', { name: 'Grant credits to Acme' }));
    const dialog = await screen.findByRole('dialog', { name: 'Grant credits to Acme' });
    await user.type(within(dialog).getByLabelText(/^Amount/), '900000');
    await user.type(within(dialog).getByLabelText(/^Reason/), 'Top-up');
    await user.click(within(dialog).getByRole('button', { name: 'Grant' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain(
      'Above the credit limit',
    );

    await user.type(within(dialog).getByLabelText(/^Amount/), '{Backspace}');

    expect(within(dialog).queryByRole('alert')).toBeNull();
  });
});
