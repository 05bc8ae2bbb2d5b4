// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createMe, renderWithProviders } from '../../test/render';
import { AuditPage } from './audit-page';

describe('AuditPage', () => {
  it('reads the tenant log for a tenant admin', async () => {
    const me = createMe();
    const listTenantAudit = vi.fn(async () => ({ items: [], nextCursor: null }));
    renderWithProviders(<AuditPage />, { api: { listTenantAudit }, auth: { me } });

    expect(await screen.findByText('No audit entries yet.')).toBeTruthy();
    expect(listTenantAudit).toHaveBeenCalledWith(
      me.tenantId,
      expect.objectContaining({ limit: 50 }),
    );
    expect(screen.queryByRole('option', { name: 'Plan created' })).toBeNull();
  });

  it('reads the platform log for a super admin', async () => {
    const me = createMe({ role: 'SuperAdmin', tenantId: 'platform' });
    const listAudit = vi.fn(async () => ({ items: [], nextCursor: null }));
    renderWithProviders(<AuditPage />, { api: { listAudit }, auth: { me } });

    await waitFor(() => expect(listAudit).toHaveBeenCalled());
    expect(screen.getByRole('option', { name: 'Plan created' })).toBeTruthy();
  });
});
