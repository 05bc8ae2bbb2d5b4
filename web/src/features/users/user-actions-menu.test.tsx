// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TenantUser } from '../../lib/api-client';
import { parseErrorBody } from '../../lib/api-error';
import { createTenantUser } from '../../test/factories';
import { type RenderOptions, renderWithProviders } from '../../test/render';
import { UserActionsMenu } from './user-actions-menu';

const TENANT_ID = 'tnt_01J00000000000000000000000';

function member(fields: Partial<TenantUser> = {}): TenantUser {
  return createTenantUser({
    tenantId: TENANT_ID,
    balance: 1200,
    invitedAt: '2026-12-04T00:00:00.000Z',
    activatedAt: '2026-12-04T01:00:00.000Z',
    ...fields,
  });
}

function renderMenu(user: TenantUser, api: RenderOptions['api'], isSelf = false) {
  const callbacks = { onUpdated: vi.fn(), onDeleted: vi.fn(), onError: vi.fn() };
  renderWithProviders(
    <UserActionsMenu tenantId={TENANT_ID} user={user} isSelf={isSelf} {...callbacks} />,
    { api },
  );
  return callbacks;
}

async function choose(user: ReturnType<typeof userEvent.setup>, email: string, item: string) {
  await user.click(screen.getByRole('button', { name: `Actions for ${email}` }));
  await user.click(await screen.findByRole('menuitem', { name: item }));
}

describe('UserActionsMenu', () => {
  it('lists the actions of an invited user', async () => {
    const user = userEvent.setup();
    renderMenu(member({ status: 'INVITED', activatedAt: null }), {});

    await user.click(screen.getByRole('button', { name: 'Actions for member@example.test' }));

    const items = await screen.findAllByRole('menuitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'Resend invitation',
      'Make tenant admin',
      'Disable',
      'Revoke invitation',
    ]);
  });

  it('resends an invitation', async () => {
    const user = userEvent.setup();
    const invited = member({ status: 'INVITED', activatedAt: null });
    const resent = { ...invited, invitedAt: '2026-12-05T09:30:00.000Z' };
    const resendInvitation = vi.fn(async () => resent);
    const callbacks = renderMenu(invited, { resendInvitation });

    await choose(user, invited.email, 'Resend invitation');

    await waitFor(() => expect(callbacks.onUpdated).toHaveBeenCalledWith(resent));
    expect(resendInvitation).toHaveBeenCalledWith(TENANT_ID, invited.userId);
  });

  it('resets two-step verification after confirming', async () => {
    const user = userEvent.setup();
    const target = member();
    const resetUserMfa = vi.fn(async () => undefined);
    const callbacks = renderMenu(target, { resetUserMfa });

    await choose(user, target.email, 'Reset two-step verification');
    expect(resetUserMfa).not.toHaveBeenCalled();
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Reset two-step verification?',
    });
    await user.click(within(dialog).getByRole('button', { name: 'Reset' }));

    await waitFor(() => expect(callbacks.onUpdated).toHaveBeenCalledWith(target));
    expect(resetUserMfa).toHaveBeenCalledWith(TENANT_ID, target.userId);
  });

  it('disables another user without asking', async () => {
    const user = userEvent.setup();
    const target = member();
    const updateUser = vi.fn(async () => ({ ...target, status: 'DISABLED' as const }));
    const callbacks = renderMenu(target, { updateUser });

    await choose(user, target.email, 'Disable');

    await waitFor(() => expect(callbacks.onUpdated).toHaveBeenCalled());
    expect(updateUser).toHaveBeenCalledWith(TENANT_ID, target.userId, { status: 'DISABLED' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('changes the role', async () => {
    const user = userEvent.setup();
    const target = member();
    const updateUser = vi.fn(async () => ({ ...target, role: 'TenantAdmin' as const }));
    renderMenu(target, { updateUser });

    await choose(user, target.email, 'Make tenant admin');

    await waitFor(() =>
      expect(updateUser).toHaveBeenCalledWith(TENANT_ID, target.userId, { role: 'TenantAdmin' }),
    );
  });

  it('marks the button busy while a change runs', async () => {
    const user = userEvent.setup();
    const target = member({ status: 'DISABLED' });
    let finish: (value: TenantUser) => void = () => undefined;
    const updateUser = vi.fn(
      () =>
        new Promise<TenantUser>((resolve) => {
          finish = resolve;
        }),
    );
    const callbacks = renderMenu(target, { updateUser });

    await choose(user, target.email, 'Enable');

    const trigger = screen.getByRole('button', { name: `Actions for ${target.email}` });
    await waitFor(() => expect(trigger).toHaveProperty('disabled', true));
    expect(trigger.getAttribute('data-loading')).not.toBeNull();
    finish({ ...target, status: 'ACTIVE' });
    await waitFor(() => expect(trigger).toHaveProperty('disabled', false));
    expect(callbacks.onUpdated).toHaveBeenCalledWith({ ...target, status: 'ACTIVE' });
  });

  it('reports a failed change', async () => {
    const user = userEvent.setup();
    const target = member();
    const error = parseErrorBody(404, { error: { code: 'NOT_FOUND', message: 'User not found' } });
    const updateUser = vi.fn(async () => {
      throw error;
    });
    const callbacks = renderMenu(target, { updateUser });

    await choose(user, target.email, 'Disable');

    await waitFor(() => expect(callbacks.onError).toHaveBeenLastCalledWith(error, target));
    expect(callbacks.onUpdated).not.toHaveBeenCalled();
  });

  it('deletes after confirmation', async () => {
    const user = userEvent.setup();
    const target = member();
    const deleteUser = vi.fn(async () => undefined);
    const callbacks = renderMenu(target, { deleteUser });

    await choose(user, target.email, 'Delete user');
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('unspent credits (1,200 credits) return to the pool');
    expect(deleteUser).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Delete user' }));

    await waitFor(() => expect(callbacks.onDeleted).toHaveBeenCalledWith(target));
    expect(deleteUser).toHaveBeenCalledWith(TENANT_ID, target.userId);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
  });

  it('keeps the user when deletion is cancelled', async () => {
    const user = userEvent.setup();
    const target = member();
    const deleteUser = vi.fn(async () => undefined);
    renderMenu(target, { deleteUser });

    await choose(user, target.email, 'Delete user');
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(deleteUser).not.toHaveBeenCalled();
  });

  it('revokes an invitation after confirmation', async () => {
    const user = userEvent.setup();
    const invited = member({ status: 'INVITED', balance: 0, activatedAt: null });
    const deleteUser = vi.fn(async () => undefined);
    const callbacks = renderMenu(invited, { deleteUser });

    await choose(user, invited.email, 'Revoke invitation');
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('stops working and the seat becomes free');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke invitation' }));

    await waitFor(() => expect(callbacks.onDeleted).toHaveBeenCalledWith(invited));
  });

  it('shows why the last admin cannot step down', async () => {
    const user = userEvent.setup();
    const self = member({ role: 'TenantAdmin', email: 'admin@example.test' });
    const updateUser = vi.fn(async () => {
      throw parseErrorBody(409, {
        error: {
          code: 'CONFLICT',
          message: 'A tenant must keep at least one TenantAdmin who can sign in',
        },
      });
    });
    const callbacks = renderMenu(self, { updateUser }, true);

    await choose(user, self.email, 'Make user');
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('You lose access to the user and credit screens');
    await user.click(within(dialog).getByRole('button', { name: 'Make me a user' }));

    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'A tenant must keep at least one TenantAdmin who can sign in',
    );
    expect(updateUser).toHaveBeenCalledWith(TENANT_ID, self.userId, { role: 'User' });
    expect(callbacks.onUpdated).not.toHaveBeenCalled();
    expect(screen.getByRole('alertdialog')).toBeTruthy();
  });
});
