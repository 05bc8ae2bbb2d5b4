// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient, Page, TenantUser } from '../../lib/api-client';
import { parseErrorBody } from '../../lib/api-error';
import { createTenant, createTenantUser } from '../../test/factories';
import { renderWithProviders } from '../../test/render';
import { TenantMembersDialog } from './tenant-members-dialog';

const tenant = createTenant();

function member(fields: Partial<TenantUser>): TenantUser {
  return createTenantUser({
    tenantId: tenant.tenantId,
    activatedAt: '2026-12-04T11:00:00.000Z',
    ...fields,
  });
}

const admin = member({
  userId: '7d1b5d0e-2f1c-4c55-9a41-0a5b7c3e9f10',
  email: 'admin@example.test',
  role: 'TenantAdmin',
});
const disabled = member({
  userId: '9a2c4e6f-0b1d-4f3a-8c5e-7d9b1a3c5e7f',
  email: 'disabled@example.test',
  status: 'DISABLED',
});
const invited = member({
  userId: '3e5a7c9b-1d3f-4b5d-9e7a-2c4e6a8b0d1f',
  email: 'invited@example.test',
  status: 'INVITED',
  activatedAt: null,
});

function renderDialog(api: Partial<ApiClient>) {
  renderWithProviders(<TenantMembersDialog tenant={tenant} />, { api });
}

async function openDialog(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await user.click(screen.getByRole('button', { name: 'Members of Acme' }));
  return screen.findByRole('dialog', { name: 'Members of Acme' });
}

describe('TenantMembersDialog', () => {
  it('loads the members only when opened', async () => {
    const user = userEvent.setup();
    const listUsers = vi.fn(async () => ({ items: [admin], nextCursor: null }));
    renderDialog({ listUsers });
    expect(listUsers).not.toHaveBeenCalled();

    const dialog = await openDialog(user);

    await within(dialog).findByText('admin@example.test');
    expect(listUsers).toHaveBeenCalledWith(tenant.tenantId, undefined);
    expect(within(dialog).getByText('Tenant admin')).toBeTruthy();
  });

  it('offers the reset only to members who signed in', async () => {
    const user = userEvent.setup();
    const listUsers = vi.fn(async () => ({ items: [admin, disabled, invited], nextCursor: null }));
    renderDialog({ listUsers });

    const dialog = await openDialog(user);
    await within(dialog).findByText('invited@example.test');

    const resetButtons = within(dialog).getAllByRole('button', {
      name: /^Reset two-step verification of /,
    });
    expect(resetButtons.map((button) => button.getAttribute('aria-label'))).toEqual([
      'Reset two-step verification of admin@example.test',
      'Reset two-step verification of disabled@example.test',
    ]);
  });

  it('resets two-step verification after confirming', async () => {
    const user = userEvent.setup();
    const listUsers = vi.fn(async () => ({ items: [admin], nextCursor: null }));
    const resetUserMfa = vi.fn(async () => undefined);
    renderDialog({ listUsers, resetUserMfa });

    const dialog = await openDialog(user);
    await user.click(
      await within(dialog).findByRole('button', {
        name: 'Reset two-step verification of admin@example.test',
      }),
    );
    expect(resetUserMfa).not.toHaveBeenCalled();
    const confirm = await screen.findByRole('alertdialog', {
      name: 'Reset two-step verification?',
    });
    expect(confirm.textContent).toContain('admin@example.test can then sign in');
    await user.click(within(confirm).getByRole('button', { name: 'Reset' }));

    await waitFor(() => expect(resetUserMfa).toHaveBeenCalledWith(tenant.tenantId, admin.userId));
    await waitFor(() =>
      expect(
        screen.queryByRole('alertdialog', { name: 'Reset two-step verification?' }),
      ).toBeNull(),
    );
    expect(screen.getByRole('dialog', { name: 'Members of Acme' })).toBeTruthy();
  });

  it('keeps a failed reset in the confirmation', async () => {
    const user = userEvent.setup();
    const listUsers = vi.fn(async () => ({ items: [admin], nextCursor: null }));
    const resetUserMfa = vi.fn(async () => {
      throw parseErrorBody(409, {
        error: { code: 'CONFLICT', message: 'The user has never signed in' },
      });
    });
    renderDialog({ listUsers, resetUserMfa });

    const dialog = await openDialog(user);
    await user.click(
      await within(dialog).findByRole('button', {
        name: 'Reset two-step verification of admin@example.test',
      }),
    );
    const confirm = await screen.findByRole('alertdialog');
    await user.click(within(confirm).getByRole('button', { name: 'Reset' }));

    const alert = await within(confirm).findByRole('alert');
    expect(alert.textContent).toContain('The user has never signed in');
  });

  it('resends an invitation', async () => {
    const user = userEvent.setup();
    const listUsers = vi.fn(async () => ({ items: [admin, invited], nextCursor: null }));
    const resendInvitation = vi.fn(async () => ({
      ...invited,
      invitedAt: '2026-12-05T09:00:00.000Z',
    }));
    renderDialog({ listUsers, resendInvitation });

    const dialog = await openDialog(user);
    expect(
      within(dialog).queryByRole('button', { name: 'Resend invitation to admin@example.test' }),
    ).toBeNull();
    await user.click(
      await within(dialog).findByRole('button', {
        name: 'Resend invitation to invited@example.test',
      }),
    );

    await waitFor(() =>
      expect(resendInvitation).toHaveBeenCalledWith(tenant.tenantId, invited.userId),
    );
    expect(within(dialog).queryByRole('alert')).toBeNull();
  });

  it('shows a failed resend', async () => {
    const user = userEvent.setup();
    const listUsers = vi.fn(async () => ({ items: [invited], nextCursor: null }));
    const resendInvitation = vi.fn(async () => {
      throw parseErrorBody(409, { error: { code: 'CONFLICT', message: 'The user signed in' } });
    });
    renderDialog({ listUsers, resendInvitation });

    const dialog = await openDialog(user);
    await user.click(
      await within(dialog).findByRole('button', {
        name: 'Resend invitation to invited@example.test',
      }),
    );

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('The invitation was not sent');
    expect(alert.textContent).toContain('The user signed in');
  });

  it('loads more members on request', async () => {
    const user = userEvent.setup();
    const pages: Record<string, Page<TenantUser>> = {
      first: { items: [admin], nextCursor: 'next' },
      next: { items: [disabled], nextCursor: null },
    };
    const listUsers = vi.fn(async (_tenantId: string, cursor?: string) => pages[cursor ?? 'first']);
    renderDialog({ listUsers });

    const dialog = await openDialog(user);
    await user.click(await within(dialog).findByRole('button', { name: 'Load more' }));

    await within(dialog).findByText('disabled@example.test');
    expect(listUsers).toHaveBeenLastCalledWith(tenant.tenantId, 'next');
    expect(within(dialog).queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('shows a failed load', async () => {
    const user = userEvent.setup();
    const listUsers = vi.fn(async () => {
      throw parseErrorBody(404, { error: { code: 'NOT_FOUND', message: 'Tenant not found' } });
    });
    renderDialog({ listUsers });

    const dialog = await openDialog(user);

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Tenant not found');
    expect(within(dialog).queryByText('The tenant has no members.')).toBeNull();
  });
});
