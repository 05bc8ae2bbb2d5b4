// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Plan } from '../../lib/api-client';
import { renderWithProviders } from '../../test/render';
import { PlanForm } from './plan-form';

const prices = {
  prices: {
    'gpt-4o': { input: 250, cachedInput: 125, output: 1000 },
    'gpt-4o-mini': { input: 15, cachedInput: 8, output: 60 },
  },
  updatedAt: null,
};

const plan: Plan = {
  planId: 'pln_01J00000000000000000000000',
  name: 'Team',
  monthlyCredits: 100_000,
  seatLimit: 25,
  models: ['gpt-4o-mini'],
  maxTokensPerRequest: 4096,
  requestsPerMinute: 60,
  concurrentStreams: 4,
  allowOwnKey: false,
  ownKeyRatePercent: 0,
  ownKeyFallback: 'platform',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('PlanForm', () => {
  it('checks names, numbers and models before sending', async () => {
    const user = userEvent.setup();
    const createPlan = vi.fn();
    renderWithProviders(<PlanForm onSaved={vi.fn()} />, {
      api: { getPrices: vi.fn(async () => prices), createPlan },
    });
    await screen.findByText('gpt-4o-mini');

    await user.clear(screen.getByLabelText(/^Seats/));
    await user.type(screen.getByLabelText(/^Seats/), '0');
    await user.click(screen.getByRole('button', { name: 'Create plan' }));

    expect(await screen.findByText('Enter a name.')).toBeTruthy();
    expect(screen.getByText('Enter a whole number from 1 to 100,000.')).toBeTruthy();
    expect(screen.getByText('Choose at least one model.')).toBeTruthy();
    expect(createPlan).not.toHaveBeenCalled();
  });

  it('checks the upper bound before sending', async () => {
    const user = userEvent.setup();
    const createPlan = vi.fn();
    renderWithProviders(<PlanForm onSaved={vi.fn()} />, {
      api: { getPrices: vi.fn(async () => prices), createPlan },
    });
    await screen.findByText('gpt-4o-mini');

    await user.clear(screen.getByLabelText(/^Own-key rate/));
    await user.type(screen.getByLabelText(/^Own-key rate/), '150');
    await user.click(screen.getByRole('button', { name: 'Create plan' }));

    expect(await screen.findByText('Enter a whole number from 0 to 100.')).toBeTruthy();
    expect(createPlan).not.toHaveBeenCalled();
  });

  it('saves an edited plan with PATCH', async () => {
    const user = userEvent.setup();
    const onSaved = vi.fn();
    const updatePlan = vi.fn(async (_planId: string, input: Partial<Plan>) => ({
      ...plan,
      ...input,
    }));
    renderWithProviders(<PlanForm plan={plan} onSaved={onSaved} />, {
      api: { getPrices: vi.fn(async () => prices), updatePlan },
    });
    await screen.findByText('gpt-4o');

    await user.clear(screen.getByLabelText(/^Seats/));
    await user.type(screen.getByLabelText(/^Seats/), '30');
    await user.click(screen.getByRole('button', { name: 'Save plan' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(updatePlan).toHaveBeenCalledWith(
      plan.planId,
      expect.objectContaining({ name: 'Team', seatLimit: 30, models: ['gpt-4o-mini'] }),
    );
  });
});
