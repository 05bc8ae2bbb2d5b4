// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Plan } from '../../lib/api-client';
import { createTenant } from '../../test/factories';
import { renderWithProviders } from '../../test/render';
import { EditTenantDialog } from './edit-tenant-dialog';

const tenant = createTenant({ poolBalance: 51_000 });

describe('EditTenantDialog', () => {
  it('warns about a limit below the pool', async () => {
    const user = userEvent.setup();
    renderWithProviders(
      <EditTenantDialog tenant={tenant} plans={[] as Plan[]} onSaved={vi.fn()} />,
      { api: {} },
    );

    await user.click(screen.getByRole('button', { name: 'Edit tenant Acme' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Acme' });
    expect(within(dialog).getByText(/Pool now 51,000\./)).toBeTruthy();

    const limit = within(dialog).getByLabelText(/^Credit limit/);
    await user.clear(limit);
    await user.type(limit, '10000');

    expect(
      within(dialog).getByText(/The pool already holds 51,000, more than this limit\./),
    ).toBeTruthy();
  });
});
