// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { BatchInviteResult } from '../../lib/api-client';
import { parseErrorBody } from '../../lib/api-error';
import { renderWithProviders } from '../../test/render';
import { BulkInviteDialog } from './bulk-invite-dialog';

const TENANT_ID = 'tnt_01J00000000000000000000000';

const results: BatchInviteResult[] = [
  { email: 'ana@example.test', result: 'invited', userId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  {
    email: 'taken@example.test',
    result: 'exists',
    message:
      'This email already has a Creditgate account, in this tenant or another. Invite another address for the person.',
  },
  { email: 'odd@example.test', result: 'invalid', message: 'email: must be a valid email address' },
  { email: 'late@example.test', result: 'seat_limit', message: 'The plan has no seat left' },
];

async function openDialog(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Bulk invite' }));
  return screen.findByRole('dialog', { name: 'Invite several users' });
}

describe('BulkInviteDialog', () => {
  it('sends pasted rows and shows each result', async () => {
    const user = userEvent.setup();
    const inviteUsers = vi.fn(async () => ({ results }));
    const onInvited = vi.fn();
    renderWithProviders(<BulkInviteDialog tenantId={TENANT_ID} onInvited={onInvited} />, {
      api: { inviteUsers },
    });

    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole('textbox', { name: 'Users' }));
    await user.paste(
      'email,role\nAna@Example.test,User\ntaken@example.test\nodd@example.test\nlate@example.test,TenantAdmin',
    );
    expect(within(dialog).getByText('4 rows to invite')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }));

    const table = await screen.findByRole('table', { name: 'Bulk invitation results' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      'ana@example.testInvited',
      'taken@example.testAlready existsThis email already has a Creditgate account, in this tenant or another. Invite another address for the person.',
      'odd@example.testInvalidemail: must be a valid email address',
      'late@example.testNo seat leftThe plan has no seat left',
    ]);
    expect(screen.getByText('1 of 4 rows invited.')).toBeTruthy();
    expect(inviteUsers).toHaveBeenCalledWith(TENANT_ID, [
      { email: 'ana@example.test', role: 'User' },
      { email: 'taken@example.test', role: 'User' },
      { email: 'odd@example.test', role: 'User' },
      { email: 'late@example.test', role: 'TenantAdmin' },
    ]);
    expect(onInvited).toHaveBeenCalledWith(results);
  });

  it('sends nothing while a line is wrong', async () => {
    const user = userEvent.setup();
    const inviteUsers = vi.fn(async () => ({ results }));
    renderWithProviders(<BulkInviteDialog tenantId={TENANT_ID} onInvited={vi.fn()} />, {
      api: { inviteUsers },
    });

    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole('textbox', { name: 'Users' }));
    await user.paste('ana@example.test\nnot-an-email,Owner');
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }));

    expect(
      await within(dialog).findByText(
        'Fix these lines before sending. Line 2: "not-an-email" is not an email address. ' +
          'Line 2: the role "Owner" is not User or TenantAdmin.',
      ),
    ).toBeTruthy();
    expect(inviteUsers).not.toHaveBeenCalled();
  });

  it('reads a chosen CSV file', async () => {
    const user = userEvent.setup();
    renderWithProviders(<BulkInviteDialog tenantId={TENANT_ID} onInvited={vi.fn()} />);

    const dialog = await openDialog(user);
    const file = new File(['ana@example.test,User\nbo@example.test,TenantAdmin\n'], 'team.csv', {
      type: 'text/csv',
    });
    await user.upload(within(dialog).getByLabelText('CSV file'), file);

    const textbox = within(dialog).getByRole('textbox', { name: 'Users' });
    await waitFor(() =>
      expect(textbox).toHaveProperty(
        'value',
        'ana@example.test,User\nbo@example.test,TenantAdmin\n',
      ),
    );
    expect(within(dialog).getByText('2 rows to invite')).toBeTruthy();
  });

  it('rejects more than 100 rows before sending', async () => {
    const user = userEvent.setup();
    const inviteUsers = vi.fn();
    renderWithProviders(<BulkInviteDialog tenantId={TENANT_ID} onInvited={vi.fn()} />, {
      api: { inviteUsers },
    });

    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole('textbox', { name: 'Users' }));
    await user.paste(
      Array.from({ length: 101 }, (_, index) => `u${index}@example.test`).join('\n'),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }));

    expect(
      await within(dialog).findByText(
        'A bulk invitation takes at most 100 rows, and this has 101. Split it into several.',
      ),
    ).toBeTruthy();
    expect(inviteUsers).not.toHaveBeenCalled();
  });

  it('shows the API error and keeps the rows', async () => {
    const user = userEvent.setup();
    const inviteUsers = vi.fn(async () => {
      throw parseErrorBody(403, {
        error: { code: 'TENANT_SUSPENDED', message: 'The tenant is suspended' },
      });
    });
    renderWithProviders(<BulkInviteDialog tenantId={TENANT_ID} onInvited={vi.fn()} />, {
      api: { inviteUsers },
    });

    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole('textbox', { name: 'Users' }));
    await user.paste('ana@example.test');
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }));

    expect((await within(dialog).findByRole('alert')).textContent).toBe('The tenant is suspended');
    expect(within(dialog).getByRole('textbox', { name: 'Users' })).toHaveProperty(
      'value',
      'ana@example.test',
    );
  });

  it('disables sending while the request runs', async () => {
    const user = userEvent.setup();
    let finish: (value: { results: BatchInviteResult[] }) => void = () => undefined;
    const inviteUsers = vi.fn(
      () =>
        new Promise<{ results: BatchInviteResult[] }>((resolve) => {
          finish = resolve;
        }),
    );
    renderWithProviders(<BulkInviteDialog tenantId={TENANT_ID} onInvited={vi.fn()} />, {
      api: { inviteUsers },
    });

    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole('textbox', { name: 'Users' }));
    await user.paste('ana@example.test');
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }));

    expect(await within(dialog).findByRole('button', { name: /inviting/i })).toHaveProperty(
      'disabled',
      true,
    );
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveProperty('disabled', true);
    finish({ results: results.slice(0, 1) });
    expect(await screen.findByText('1 of 1 row invited.')).toBeTruthy();
  });
});
