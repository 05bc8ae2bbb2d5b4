// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TenantCredits, TenantDetails, TenantUser } from '../../lib/api-client';
import { parseErrorBody } from '../../lib/api-error';
import { createTenantUser } from '../../test/factories';
import { createMe, type RenderOptions, renderWithProviders } from '../../test/render';
import { UsersPage } from './users-page';

const me = createMe();

const tenant: TenantDetails = {
  tenantId: me.tenantId,
  name: 'Acme',
  planId: 'pln_01J00000000000000000000000',
  status: 'ACTIVE',
  creditLimit: 100_000,
  poolBalance: 8_000,
  seatsUsed: 2,
  seatLimit: 10,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

const credits: TenantCredits = {
  poolBalance: 8_000,
  creditLimit: 100_000,
  allocated: 2_000,
  held: 0,
  spent: 0,
  granted: 10_000,
};

function member(fields: Partial<TenantUser>): TenantUser {
  return createTenantUser({ tenantId: me.tenantId, ...fields });
}

const admin = member({
  userId: me.userId,
  email: me.email,
  role: 'TenantAdmin',
  activatedAt: '2026-12-01T00:00:00.000Z',
  lastActiveAt: null,
});
const worker = member({
  email: 'worker@example.test',
  balance: 2_000,
  lastActiveAt: '2026-12-04T12:30:00.000Z',
});

function renderPage(overrides: RenderOptions = {}) {
  const api = {
    getTenant: vi.fn(async () => tenant),
    getTenantCredits: vi.fn(async () => credits),
    listUsers: vi.fn(async () => ({ items: [admin, worker], nextCursor: null })),
    ...overrides.api,
  };
  const auth = { me, signOut: vi.fn(), refreshMe: vi.fn(async () => undefined), ...overrides.auth };
  renderWithProviders(<UsersPage />, { api, auth });
  return { api, auth };
}

describe('UsersPage', () => {
  it('lists members in email order', async () => {
    const zed = member({
      userId: '5c1f7c2e-4b8a-4d3e-9f6a-1b2c3d4e5f60',
      email: 'zed@example.test',
    });
    renderPage({
      api: { listUsers: vi.fn(async () => ({ items: [zed, worker, admin], nextCursor: null })) },
    });

    const table = await screen.findByRole('table', { name: 'Users' });
    const emails = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.textContent?.match(/^[^@]+@example\.test/)?.[0]);
    expect(emails).toEqual(['admin@example.test', 'worker@example.test', 'zed@example.test']);
  });

  it('shows the latest AI call as last activity', async () => {
    renderPage();

    const table = await screen.findByRole('table', { name: 'Users' });
    const workerRow = within(table).getByRole('row', { name: /worker@example\.test/ });
    await waitFor(() =>
      expect(workerRow.querySelector('time[datetime="2026-12-04T12:30:00.000Z"]')).not.toBeNull(),
    );
    const adminRow = within(table).getByRole('row', { name: /admin@example\.test/ });
    expect(adminRow.querySelector('time[datetime="2026-12-01T00:00:00.000Z"]')).not.toBeNull();
  });

  it('shows seats as used of total', async () => {
    renderPage();

    const seats = await screen.findByRole('group', { name: 'Seats' });
    await waitFor(() => expect(seats.textContent).toContain('2 / 10'));
  });

  it('shows state and invitation time per user', async () => {
    renderPage();

    const row = await screen.findByRole('row', { name: /worker@example\.test/ });
    expect(within(row).getByText('active')).toBeTruthy();
    expect(row.querySelector('time')?.getAttribute('dateTime')).toBe('2026-12-04T10:15:00.000Z');
    expect(screen.getByRole('row', { name: /admin@example\.test \(you\)/ })).toBeTruthy();
  });

  it('removes a deleted user and reloads the pool', async () => {
    const user = userEvent.setup();
    const deleteUser = vi.fn(async () => undefined);
    const { api } = renderPage({ api: { deleteUser } });

    await user.click(
      await screen.findByRole('button', { name: 'Actions for worker@example.test' }),
    );
    await user.click(await screen.findByRole('menuitem', { name: 'Delete user' }));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete user' }));

    await waitFor(() =>
      expect(screen.queryByRole('row', { name: /worker@example\.test/ })).toBeNull(),
    );
    await waitFor(() => expect(api.getTenantCredits).toHaveBeenCalledTimes(2));
    expect(api.getTenant).toHaveBeenCalledTimes(2);
  });

  it('shows a failed change above the table', async () => {
    const user = userEvent.setup();
    const updateUser = vi.fn(async () => {
      throw parseErrorBody(409, {
        error: { code: 'CONFLICT', message: 'The user has an AI call in progress' },
      });
    });
    renderPage({ api: { updateUser } });

    await user.click(
      await screen.findByRole('button', { name: 'Actions for worker@example.test' }),
    );
    await user.click(await screen.findByRole('menuitem', { name: 'Disable' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The change to worker@example.test failed');
    expect(alert.textContent).toContain('The user has an AI call in progress');
  });

  it('signs the admin out after disabling themselves', async () => {
    const user = userEvent.setup();
    const updateUser = vi.fn(async () => ({ ...admin, status: 'DISABLED' as const }));
    const { auth } = renderPage({ api: { updateUser } });

    await user.click(await screen.findByRole('button', { name: 'Actions for admin@example.test' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Disable' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Disable your own account?' });
    await user.click(within(dialog).getByRole('button', { name: 'Disable my account' }));

    await waitFor(() =>
      expect(auth.signOut).toHaveBeenCalledWith('Your account has been disabled.'),
    );
  });

  it('reloads the caller after a role change of their own', async () => {
    const user = userEvent.setup();
    const updateUser = vi.fn(async () => ({ ...admin, role: 'User' as const }));
    const { auth } = renderPage({ api: { updateUser } });

    await user.click(await screen.findByRole('button', { name: 'Actions for admin@example.test' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Make user' }));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Make me a user' }));

    await waitFor(() => expect(auth.refreshMe).toHaveBeenCalled());
    expect(auth.signOut).not.toHaveBeenCalled();
  });
});
