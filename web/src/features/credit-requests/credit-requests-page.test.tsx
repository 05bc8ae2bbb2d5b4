// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { parseErrorBody } from '../../lib/api-error';
import type { CreditRequest } from '../../lib/api-types';
import { createMe, renderWithProviders } from '../../test/render';
import { CreditRequestsPage } from './credit-requests-page';

const admin = createMe({ role: 'TenantAdmin' });
const member = createMe({
  role: 'User',
  userId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  email: 'member@example.test',
});

function creditRequest(fields: Partial<CreditRequest> = {}): CreditRequest {
  return {
    requestId: 'crq_01J00000000000000000000001',
    userId: member.userId,
    email: member.email,
    amount: 1_500,
    reason: 'Load tests',
    status: 'PENDING',
    createdAt: '2026-12-04T10:00:00.000Z',
    decidedAt: null,
    decidedBy: null,
    note: null,
    ...fields,
  };
}

describe('CreditRequestsPage for a TenantAdmin', () => {
  it('lists pending requests', async () => {
    const listCreditRequests = vi.fn(async () => ({
      items: [creditRequest()],
      nextCursor: null,
    }));
    renderWithProviders(<CreditRequestsPage />, {
      auth: { me: admin },
      api: { listCreditRequests },
    });

    const table = await screen.findByRole('table', { name: 'Credit requests' });
    expect(table.textContent).toContain('member@example.test');
    expect(table.textContent).toContain('1,500');
    expect(listCreditRequests).toHaveBeenCalledWith(admin.tenantId, {
      status: 'PENDING',
      cursor: undefined,
    });
  });

  it('approves with a note and removes the row', async () => {
    const user = userEvent.setup();
    const pending = creditRequest();
    const approveCreditRequest = vi.fn(async () => ({
      request: { ...pending, status: 'APPROVED' as const, decidedAt: '2026-12-04T11:00:00Z' },
      userBalance: 1_500,
      poolBalance: 8_500,
    }));
    renderWithProviders(<CreditRequestsPage />, {
      auth: { me: admin },
      api: {
        listCreditRequests: vi.fn(async () => ({ items: [pending], nextCursor: null })),
        approveCreditRequest,
      },
    });

    await user.click(await screen.findByRole('button', { name: /^Approve the request/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/Note to the member/), 'Go ahead');
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));

    await waitFor(() =>
      expect(screen.queryByRole('table', { name: 'Credit requests' })).toBeNull(),
    );
    expect(approveCreditRequest).toHaveBeenCalledTimes(1);
    expect(approveCreditRequest).toHaveBeenCalledWith(
      admin.tenantId,
      pending.requestId,
      'Go ahead',
    );
    expect(screen.getByText('No pending requests')).toBeTruthy();
  });

  it('shows why an approval failed', async () => {
    const user = userEvent.setup();
    renderWithProviders(<CreditRequestsPage />, {
      auth: { me: admin },
      api: {
        listCreditRequests: vi.fn(async () => ({ items: [creditRequest()], nextCursor: null })),
        approveCreditRequest: vi.fn(async () => {
          throw parseErrorBody(409, {
            error: { code: 'POOL_INSUFFICIENT', message: 'The pool has 200 credits' },
          });
        }),
      },
    });

    await user.click(await screen.findByRole('button', { name: /^Approve the request/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));

    expect((await within(dialog).findByRole('alert')).textContent).toBe('The pool has 200 credits');
    // The open dialog hides the page from the accessibility tree, so hidden nodes count here.
    expect(screen.getByRole('table', { name: 'Credit requests', hidden: true })).toBeTruthy();
  });
});

describe('CreditRequestsPage for a User', () => {
  it('sends a request and lists it', async () => {
    const user = userEvent.setup();
    const createCreditRequest = vi.fn(
      async (_tenantId: string, input: { amount: number; reason: string }) =>
        creditRequest({ amount: input.amount, reason: input.reason }),
    );
    renderWithProviders(<CreditRequestsPage />, {
      auth: { me: member },
      api: {
        listCreditRequests: vi.fn(async () => ({ items: [], nextCursor: null })),
        createCreditRequest,
      },
    });
    expect(await screen.findByText('No requests yet')).toBeTruthy();

    await user.type(screen.getByLabelText(/^Amount/), '2,000');
    await user.type(screen.getByLabelText(/^Reason/), 'Batch summaries');
    await user.click(screen.getByRole('button', { name: 'Send request' }));

    const table = await screen.findByRole('table', { name: 'Credit requests' });
    expect(table.textContent).toContain('Batch summaries');
    expect(createCreditRequest).toHaveBeenCalledWith(member.tenantId, {
      amount: 2_000,
      reason: 'Batch summaries',
    });
  });

  it('checks the form before sending', async () => {
    const user = userEvent.setup();
    const createCreditRequest = vi.fn();
    renderWithProviders(<CreditRequestsPage />, {
      auth: { me: member },
      api: {
        listCreditRequests: vi.fn(async () => ({ items: [], nextCursor: null })),
        createCreditRequest,
      },
    });
    await screen.findByText('No requests yet');

    await user.type(screen.getByLabelText(/^Amount/), '0');
    await user.click(screen.getByRole('button', { name: 'Send request' }));

    expect(
      await screen.findByText('Enter a whole number of credits from 1 to 1,000,000,000,000.'),
    ).toBeTruthy();
    expect(screen.getByText('Say what the credits are for.')).toBeTruthy();
    expect(createCreditRequest).not.toHaveBeenCalled();
  });

  it('shows the limit of pending requests', async () => {
    const user = userEvent.setup();
    renderWithProviders(<CreditRequestsPage />, {
      auth: { me: member },
      api: {
        listCreditRequests: vi.fn(async () => ({ items: [], nextCursor: null })),
        createCreditRequest: vi.fn(async () => {
          throw parseErrorBody(409, {
            error: { code: 'CONFLICT', message: 'You have 3 pending requests' },
          });
        }),
      },
    });
    await screen.findByText('No requests yet');

    await user.type(screen.getByLabelText(/^Amount/), '100');
    await user.type(screen.getByLabelText(/^Reason/), 'More');
    await user.click(screen.getByRole('button', { name: 'Send request' }));

    expect((await screen.findByRole('alert')).textContent).toBe('You have 3 pending requests');
  });
});
