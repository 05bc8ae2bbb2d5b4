// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { parseErrorBody } from '../../lib/api-error';
import type { AlertSettings } from '../../lib/api-types';
import { renderWithProviders } from '../../test/render';
import { AlertSettingsCard, parseThreshold } from './alert-settings-card';

const TENANT_ID = 'tnt_01J00000000000000000000000';

const saved: AlertSettings = {
  poolThreshold: 20_000,
  userThreshold: null,
  updatedAt: '2026-12-04T10:00:00.000Z',
};

function renderCard(
  updateAlerts = vi.fn(async (_tenantId: string, input: unknown) => ({
    ...(input as AlertSettings),
    updatedAt: '2026-12-04T11:00:00.000Z',
  })),
) {
  const getAlerts = vi.fn(async () => saved);
  renderWithProviders(<AlertSettingsCard tenantId={TENANT_ID} />, {
    api: { getAlerts, updateAlerts },
  });
  return { getAlerts, updateAlerts };
}

describe('parseThreshold', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['0', 0],
    ['12,500', 12_500],
    ['1000000000000', 1_000_000_000_000],
    ['1000000000001', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    ['ten', undefined],
  ])('parses %j as %j', (text, expected) => {
    expect(parseThreshold(text)).toBe(expected);
  });
});

describe('AlertSettingsCard', () => {
  it('shows the saved thresholds', async () => {
    const { getAlerts } = renderCard();

    expect(await screen.findByDisplayValue('20000')).toBeTruthy();
    expect((screen.getByLabelText('Any user below') as HTMLInputElement).value).toBe('');
    expect(getAlerts).toHaveBeenCalledWith(TENANT_ID);
  });

  it('sends an empty field as off', async () => {
    const user = userEvent.setup();
    const { updateAlerts } = renderCard();
    await screen.findByDisplayValue('20000');

    await user.clear(screen.getByLabelText('Pool below'));
    await user.type(screen.getByLabelText('Any user below'), '500');
    await user.click(screen.getByRole('button', { name: 'Save alerts' }));

    await waitFor(() => expect(updateAlerts).toHaveBeenCalledTimes(1));
    expect(updateAlerts).toHaveBeenCalledWith(TENANT_ID, {
      poolThreshold: null,
      userThreshold: 500,
    });
  });

  it('rejects an invalid threshold before sending', async () => {
    const user = userEvent.setup();
    const { updateAlerts } = renderCard();
    await screen.findByDisplayValue('20000');

    await user.type(screen.getByLabelText('Any user below'), '-3');
    await user.click(screen.getByRole('button', { name: 'Save alerts' }));

    expect(await screen.findByText(/Enter a whole number of credits/)).toBeTruthy();
    expect(updateAlerts).not.toHaveBeenCalled();
  });

  it('shows the API error message', async () => {
    const user = userEvent.setup();
    renderCard(
      vi.fn(async () => {
        throw parseErrorBody(403, {
          error: { code: 'FORBIDDEN', message: 'Only admins can change alerts' },
        });
      }),
    );
    await screen.findByDisplayValue('20000');

    await user.click(screen.getByRole('button', { name: 'Save alerts' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Only admins can change alerts');
  });
});
