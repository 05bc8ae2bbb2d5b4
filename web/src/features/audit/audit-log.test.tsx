// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { AuditEntry, AuditQuery, Page } from '../../lib/api-client';
import { parseErrorBody } from '../../lib/api-error';
import { renderWithProviders } from '../../test/render';
import { tenantAuditActions } from './audit-actions';
import { AuditLog } from './audit-log';

const ADMIN_ID = '7d1b5d0e-2f1c-4c55-9a41-0a5b7c3e9f10';

function entry(fields: Partial<AuditEntry>): AuditEntry {
  return {
    auditId: '01JEXAMPLE0000000000000000',
    tenantId: 'tnt_01J00000000000000000000000',
    action: 'user.invite',
    actorId: ADMIN_ID,
    actorEmail: 'admin@example.test',
    targetType: 'user',
    targetId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    requestId: 'req_01JEXAMPLE000000000000000',
    createdAt: '2026-12-04T10:15:00.000Z',
    ...fields,
  };
}

const newest = entry({
  auditId: '01JEXAMPLE0000000000000003',
  action: 'user.change-role',
  details: { from: { role: 'User' }, to: { role: 'TenantAdmin' } },
});
const older = entry({
  auditId: '01JEXAMPLE0000000000000002',
  action: 'user.invite',
  details: { email: 'new.user@example.test', role: 'User' },
});
const oldest = entry({
  auditId: '01JEXAMPLE0000000000000001',
  action: 'credits.monthly-grant',
  actorId: 'system',
  actorEmail: 'system',
  targetType: 'tenant',
  targetId: 'tnt_01J00000000000000000000000',
});

describe('AuditLog', () => {
  it('lists entries and loads more', async () => {
    const user = userEvent.setup();
    const loadPage = vi.fn(
      async (query: AuditQuery): Promise<Page<AuditEntry>> =>
        query.cursor
          ? { items: [oldest], nextCursor: null }
          : { items: [newest, older], nextCursor: 'cursor-2' },
    );
    renderWithProviders(<AuditLog loadPage={loadPage} actions={tenantAuditActions} />);

    const table = await screen.findByRole('table', { name: 'Audit log' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('Role changed')).toBeTruthy();
    expect(within(table).getByText('from.role: User · to.role: TenantAdmin')).toBeTruthy();
    expect(within(table).getByText('new.user@example.test')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Load more' }));

    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    expect(within(table).getByText('Monthly credits granted')).toBeTruthy();
    expect(loadPage).toHaveBeenLastCalledWith({
      limit: 50,
      cursor: 'cursor-2',
      action: undefined,
      actorId: undefined,
    });
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('filters by action', async () => {
    const user = userEvent.setup();
    const loadPage = vi.fn(
      async (query: AuditQuery): Promise<Page<AuditEntry>> => ({
        items: query.action ? [older] : [newest, older],
        nextCursor: null,
      }),
    );
    renderWithProviders(<AuditLog loadPage={loadPage} actions={tenantAuditActions} />);

    await screen.findByRole('table', { name: 'Audit log' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Action' }), 'user.invite');

    await waitFor(() =>
      expect(loadPage).toHaveBeenLastCalledWith({
        limit: 50,
        cursor: undefined,
        action: 'user.invite',
        actorId: undefined,
      }),
    );
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'Audit log' })).queryByText('Role changed'),
      ).toBeNull(),
    );
  });

  it('filters by a chosen actor', async () => {
    const user = userEvent.setup();
    const loadPage = vi.fn(
      async (): Promise<Page<AuditEntry>> => ({ items: [newest, oldest], nextCursor: null }),
    );
    renderWithProviders(<AuditLog loadPage={loadPage} actions={tenantAuditActions} />);

    const table = await screen.findByRole('table', { name: 'Audit log' });
    await user.click(within(table).getByRole('button', { name: 'admin@example.test' }));

    await waitFor(() =>
      expect(loadPage).toHaveBeenLastCalledWith(expect.objectContaining({ actorId: ADMIN_ID })),
    );
    expect(screen.getByText('Actor: admin@example.test')).toBeTruthy();
    expect(within(table).queryByRole('button', { name: 'system' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Remove the actor filter' }));
    await waitFor(() =>
      expect(loadPage).toHaveBeenLastCalledWith(expect.objectContaining({ actorId: undefined })),
    );
  });

  it('explains an empty filtered page', async () => {
    const loadPage = vi.fn(
      async (): Promise<Page<AuditEntry>> => ({ items: [], nextCursor: 'cursor-2' }),
    );
    renderWithProviders(<AuditLog loadPage={loadPage} actions={tenantAuditActions} />);

    expect(
      await screen.findByText('None of the latest entries match. Load more to search older ones.'),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Load more' })).toBeTruthy();
  });

  it('shows the API error', async () => {
    const loadPage = vi.fn(async (): Promise<Page<AuditEntry>> => {
      throw parseErrorBody(400, {
        error: { code: 'VALIDATION_FAILED', message: 'cursor: is invalid' },
      });
    });
    renderWithProviders(<AuditLog loadPage={loadPage} actions={tenantAuditActions} />);

    expect((await screen.findByRole('alert')).textContent).toBe('cursor: is invalid');
  });

  it('adds the tenant column for the platform log', async () => {
    const loadPage = vi.fn(
      async (): Promise<Page<AuditEntry>> => ({
        items: [newest],
        nextCursor: null,
      }),
    );
    renderWithProviders(
      <AuditLog loadPage={loadPage} actions={tenantAuditActions} isTenantShown />,
    );

    const table = await screen.findByRole('table', { name: 'Audit log' });
    expect(within(table).getByRole('columnheader', { name: 'Tenant' })).toBeTruthy();
    expect(within(table).getByText('tnt_01J00000000000000000000000')).toBeTruthy();
  });
});
