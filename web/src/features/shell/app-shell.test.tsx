// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CreditRequest } from '../../lib/api-types';
import { createMe, renderWithProviders } from '../../test/render';
import { AppShell } from './app-shell';

function pendingRequests(count: number): CreditRequest[] {
  return Array.from(
    { length: count },
    (_, index) => ({ requestId: `crq_${index}`, status: 'PENDING' }) as CreditRequest,
  );
}

describe('AppShell', () => {
  it('counts pending requests for a tenant admin', async () => {
    const me = createMe({ role: 'TenantAdmin' });
    const listCreditRequests = vi.fn(async () => ({
      items: pendingRequests(3),
      nextCursor: null,
    }));
    renderWithProviders(<AppShell>page</AppShell>, {
      api: { listCreditRequests },
      auth: { me, signOut: vi.fn() },
    });

    const link = await screen.findByRole('link', { name: 'Requests 3 pending' });

    expect(link.getAttribute('href')).toBe('/credit-requests');
    expect(listCreditRequests).toHaveBeenCalledWith(me.tenantId, {
      status: 'PENDING',
      limit: 100,
    });
  });

  it('shows no count without pending requests', async () => {
    const listCreditRequests = vi.fn(async () => ({ items: [], nextCursor: null }));
    renderWithProviders(<AppShell>page</AppShell>, {
      api: { listCreditRequests },
      auth: { me: createMe({ role: 'TenantAdmin' }), signOut: vi.fn() },
    });

    await waitFor(() => expect(listCreditRequests).toHaveBeenCalled());

    expect(screen.getByRole('link', { name: 'Requests' })).toBeTruthy();
  });

  it('reads no requests for a user', () => {
    const listCreditRequests = vi.fn();
    renderWithProviders(<AppShell>page</AppShell>, {
      api: { listCreditRequests },
      auth: { me: createMe({ role: 'User' }), signOut: vi.fn() },
    });

    expect(screen.getByRole('link', { name: 'Request credits' })).toBeTruthy();
    expect(listCreditRequests).not.toHaveBeenCalled();
  });
});
