// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createMe, renderWithProviders } from '../../test/render';
import { AuditPage } from './audit-page';

describe('AuditPage', () => {
  it('reads the tenant log for a tenant admin', async () => {
    const me = createMe();
    const listTenantAudit = vi.fn(async () => ({ items: [], nextCursor: null }));
    const listUsers = vi.fn(async () => ({ items: [], nextCursor: null }));
    renderWithProviders(<AuditPage />, { api: { listTenantAudit, listUsers }, auth: { me } });

    expect(await screen.findByText('No audit entries yet.')).toBeTruthy();
    expect(listTenantAudit).toHaveBeenCalledWith(
      me.tenantId,
      expect.objectContaining({ limit: 50 }),
    );
    expect(screen.queryByRole('option', { name: 'Plan created' })).toBeNull();
  });

  it('names user targets by email', async () => {
    const me = createMe();
    const memberId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const listTenantAudit = vi.fn(async () => ({
      items: [
        {
          auditId: '01JEXAMPLE0000000000000001',
          tenantId: me.tenantId,
          action: 'user.disable',
          actorId: me.userId,
          actorEmail: me.email,
          targetType: 'user',
          targetId: memberId,
          requestId: 'req_01JEXAMPLE000000000000000',
          createdAt: '2026-12-04T10:15:00.000Z',
        },
      ],
      nextCursor: null,
    }));
    const listUsers = vi.fn(async () => ({
      items: [
        {
          userId: memberId,
          tenantId: me.tenantId,
          email: 'member@example.test',
          role: 'User' as const,
          status: 'DISABLED' as const,
          balance: 0,
          held: 0,
          spent: 0,
          createdAt: '2026-12-04T00:00:00.000Z',
          invitedAt: '2026-12-04T00:00:00.000Z',
          activatedAt: null,
          lastActiveAt: null,
        },
      ],
      nextCursor: null,
    }));
    renderWithProviders(<AuditPage />, { api: { listTenantAudit, listUsers }, auth: { me } });

    const table = await screen.findByRole('table', { name: 'Audit log' });
    expect(await within(table).findByText('member@example.test')).toBeTruthy();
    expect(within(table).queryByText(memberId)).toBeNull();
  });

  it('reads the platform log for a super admin', async () => {
    const me = createMe({ role: 'SuperAdmin', tenantId: 'platform' });
    const listAudit = vi.fn(async () => ({
      items: [
        {
          auditId: '01JEXAMPLE0000000000000001',
          tenantId: 'tnt_01J00000000000000000000000',
          action: 'credits.grant',
          actorId: me.userId,
          actorEmail: me.email,
          targetType: 'tenant',
          targetId: 'tnt_01J00000000000000000000000',
          requestId: 'req_01JEXAMPLE000000000000000',
          createdAt: '2026-12-04T10:15:00.000Z',
          details: { amount: 500, reason: 'Trial' },
        },
      ],
      nextCursor: null,
    }));
    const listTenants = vi.fn(async () => ({
      items: [
        {
          tenantId: 'tnt_01J00000000000000000000000',
          name: 'Acme',
          planId: 'pln_01J00000000000000000000000',
          status: 'ACTIVE' as const,
          creditLimit: 100_000,
          poolBalance: 500,
          seatsUsed: 1,
          createdAt: '2026-12-01T00:00:00.000Z',
          updatedAt: '2026-12-01T00:00:00.000Z',
        },
      ],
      nextCursor: null,
    }));
    renderWithProviders(<AuditPage />, { api: { listAudit, listTenants }, auth: { me } });

    const table = await screen.findByRole('table', { name: 'Audit log' });
    expect(await within(table).findByText('Acme')).toBeTruthy();
    expect(listAudit).toHaveBeenCalledWith(expect.objectContaining({ limit: 50 }));
    expect(screen.getByRole('option', { name: 'Plan created' })).toBeTruthy();
  });
});
