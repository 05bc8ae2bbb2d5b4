// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TenantUser } from '../../lib/api-client';
import { parseErrorBody } from '../../lib/api-error';
import { renderWithProviders } from '../../test/render';
import { InviteUserForm } from './invite-user-form';

const TENANT_ID = 'tnt_01J00000000000000000000000';

const invitedUser: TenantUser = {
  userId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  tenantId: TENANT_ID,
  email: 'new.user@example.test',
  role: 'User',
  status: 'INVITED',
  balance: 0,
  held: 0,
  spent: 0,
  createdAt: '2026-12-04T00:00:00.000Z',
  invitedAt: '2026-12-04T00:00:00.000Z',
  activatedAt: null,
  lastActiveAt: null,
};

describe('InviteUserForm', () => {
  it('shows the API error message', async () => {
    const user = userEvent.setup();
    const inviteUser = vi.fn(async () => {
      throw parseErrorBody(409, {
        error: {
          code: 'USER_EXISTS',
          message:
            'This email already has a Creditgate account, in this tenant or another. Invite another address for the person.',
        },
      });
    });
    const onInvited = vi.fn();
    renderWithProviders(<InviteUserForm tenantId={TENANT_ID} onInvited={onInvited} />, {
      api: { inviteUser },
    });

    await user.type(screen.getByRole('textbox', { name: /email/i }), 'taken@example.test');
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));

    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      'This email already has a Creditgate account, in this tenant or another. Invite another address for the person.',
    );
    expect(onInvited).not.toHaveBeenCalled();
  });

  it('shows the field named by a validation error', async () => {
    const user = userEvent.setup();
    const inviteUser = vi.fn(async () => {
      throw parseErrorBody(400, {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'email: must be a valid email address',
          details: { fields: [{ field: 'email', message: 'must be a valid email address' }] },
        },
      });
    });
    renderWithProviders(<InviteUserForm tenantId={TENANT_ID} onInvited={vi.fn()} />, {
      api: { inviteUser },
    });

    await user.type(screen.getByRole('textbox', { name: /email/i }), 'someone@example.test');
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));

    expect(await screen.findByText('must be a valid email address')).toBeTruthy();
  });

  it('disables the button while the request runs', async () => {
    const user = userEvent.setup();
    let finish: (value: TenantUser) => void = () => undefined;
    const inviteUser = vi.fn(
      () =>
        new Promise<TenantUser>((resolve) => {
          finish = resolve;
        }),
    );
    const onInvited = vi.fn();
    renderWithProviders(<InviteUserForm tenantId={TENANT_ID} onInvited={onInvited} />, {
      api: { inviteUser },
    });

    await user.type(screen.getByRole('textbox', { name: /email/i }), ' New.User@Example.TEST ');
    await user.selectOptions(screen.getByRole('combobox', { name: /role/i }), 'TenantAdmin');
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));

    const button = await screen.findByRole('button', { name: /inviting/i });
    expect(button).toHaveProperty('disabled', true);
    expect(inviteUser).toHaveBeenCalledWith(TENANT_ID, {
      email: 'new.user@example.test',
      role: 'TenantAdmin',
    });

    finish(invitedUser);
    await waitFor(() => expect(onInvited).toHaveBeenCalledWith(invitedUser));
    expect(screen.getByRole('button', { name: 'Send invitation' })).toHaveProperty(
      'disabled',
      false,
    );
  });
});
