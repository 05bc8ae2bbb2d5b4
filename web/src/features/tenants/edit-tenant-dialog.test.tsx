// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Plan, Tenant } from '../../lib/api-client';
import { renderWithProviders } from '../../test/render';
import { EditTenantDialog } from './edit-tenant-dialog';

const tenant: Tenant = {
  tenantId: 'tnt_01J00000000000000000000001',
  name: 'Acme',
  planId: 'pln_01J00000000000000000000000',
  status: 'ACTIVE',
  creditLimit: 100_000,
  poolBalance: 51_000,
  seatsUsed: 3,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

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
