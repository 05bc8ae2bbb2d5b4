// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TenantUsage } from '../../lib/api-types';
import { createTenantUser } from '../../test/factories';
import { createMe, renderWithProviders } from '../../test/render';
import { TenantUsagePage } from './tenant-usage-page';

const me = createMe();
const worker = createTenantUser({ userId: 'u-worker', email: 'worker@example.test' });

function usageWith(users: TenantUsage['users']): TenantUsage {
  const totals = { calls: 0, cost: 0, promptTokens: 0, completionTokens: 0 };
  for (const user of users) {
    totals.calls += user.calls;
    totals.cost += user.cost;
    totals.promptTokens += user.promptTokens;
    totals.completionTokens += user.completionTokens;
  }
  return {
    from: '2026-11-06',
    to: '2026-12-05',
    totals,
    days: [],
    users,
    models: [],
    burnRate: { days: 7, creditsPerDay: 0, runsOutOn: null, users: [] },
  };
}

function renderPage(usage: TenantUsage) {
  const api = {
    getTenantUsage: vi.fn(async () => usage),
    listUsers: vi.fn(async () => ({ items: [worker], nextCursor: null })),
  };
  renderWithProviders(<TenantUsagePage />, { api, auth: { me } });
  return api;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TenantUsagePage', () => {
  it('downloads usage by user as CSV', async () => {
    const user = userEvent.setup();
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:usage';
    });
    const clicked: { download: string; href: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({ download: this.download, href: this.href });
    });
    renderPage(
      usageWith([
        { userId: 'u-worker', calls: 2, cost: 30, promptTokens: 100, completionTokens: 20 },
      ]),
    );
    await screen.findByText('worker@example.test');

    await user.click(screen.getByRole('button', { name: 'Download usage by user as CSV' }));

    expect(clicked).toEqual([
      { download: 'usage-by-user-2026-11-06-to-2026-12-05.csv', href: 'blob:usage' },
    ]);
    expect(blobs).toHaveLength(1);
    const text = await (blobs[0] as Blob).text();
    expect(text).toContain('worker@example.test,u-worker,2,100,20,30\r\n');
    expect(text).toContain('Total,,2,100,20,30\r\n');
  });

  it('disables the download without calls', async () => {
    const api = renderPage(usageWith([]));
    await waitFor(() => expect(api.getTenantUsage).toHaveBeenCalled());

    const button = await screen.findByRole('button', { name: 'Download usage by user as CSV' });

    expect(button.hasAttribute('disabled')).toBe(true);
  });
});
