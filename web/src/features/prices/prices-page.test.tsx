// @vitest-environment happy-dom

import type { PriceTable } from '@creditgate/shared';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { parseErrorBody } from '../../lib/api-error';
import { renderWithProviders } from '../../test/render';
import { PricesPage } from './prices-page';

const table = {
  prices: { 'gpt-4o-mini': { input: 15, cachedInput: 8, output: 60 } },
  updatedAt: null,
};

function renderPage(
  updatePrices = vi.fn(async (prices: PriceTable) => ({
    prices,
    updatedAt: '2026-12-04T12:00:00.000Z',
    effectiveAt: '2026-12-04T12:00:10.000Z',
  })),
) {
  renderWithProviders(<PricesPage />, {
    api: { getPrices: vi.fn(async () => table), updatePrices },
  });
  return updatePrices;
}

describe('PricesPage', () => {
  it('saves an edited price table', async () => {
    const user = userEvent.setup();
    const updatePrices = renderPage();
    const output = await screen.findByLabelText('Output price of gpt-4o-mini');

    await user.clear(output);
    await user.type(output, '75');
    await user.click(screen.getByRole('button', { name: 'Add model' }));
    await user.type(screen.getAllByLabelText('Model id')[1] as HTMLElement, 'gpt-4o');
    await user.click(screen.getByRole('button', { name: 'Save prices' }));

    await waitFor(() => expect(updatePrices).toHaveBeenCalledTimes(1));
    expect(updatePrices).toHaveBeenCalledWith({
      'gpt-4o-mini': { input: 15, cachedInput: 8, output: 75 },
      'gpt-4o': { input: 0, cachedInput: 0, output: 0 },
    });
  });

  it('rejects a price that is no whole number', async () => {
    const user = userEvent.setup();
    const updatePrices = renderPage();
    const input = await screen.findByLabelText('Input price of gpt-4o-mini');

    await user.clear(input);
    await user.type(input, '1.5');
    await user.click(screen.getByRole('button', { name: 'Save prices' }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'Input price of gpt-4o-mini must be a whole number from 0 to 100,000,000.',
    );
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Output price of gpt-4o-mini').hasAttribute('aria-invalid')).toBe(
      false,
    );
    expect(updatePrices).not.toHaveBeenCalled();
  });

  it('rejects a model listed twice', async () => {
    const user = userEvent.setup();
    const updatePrices = renderPage();
    await screen.findByLabelText('Input price of gpt-4o-mini');

    await user.click(screen.getByRole('button', { name: 'Add model' }));
    await user.type(screen.getAllByLabelText('Model id')[1] as HTMLElement, 'gpt-4o-mini');
    await user.click(screen.getByRole('button', { name: 'Save prices' }));

    expect((await screen.findByRole('alert')).textContent).toBe('gpt-4o-mini is listed twice.');
    expect(updatePrices).not.toHaveBeenCalled();
  });

  it('shows why the API refused the table', async () => {
    const user = userEvent.setup();
    renderPage(
      vi.fn(async () => {
        throw parseErrorBody(409, {
          error: {
            code: 'CONFLICT',
            message: 'Plans still list these models, so they need a price: gpt-4o-mini',
          },
        });
      }),
    );
    await screen.findByLabelText('Input price of gpt-4o-mini');

    await user.click(screen.getByRole('button', { name: 'Remove gpt-4o-mini' }));
    await user.click(screen.getByRole('button', { name: 'Add model' }));
    await user.type(screen.getByLabelText('Model id'), 'gpt-4o');
    await user.click(screen.getByRole('button', { name: 'Save prices' }));

    expect((await screen.findByRole('alert')).textContent).toContain(
      'they need a price: gpt-4o-mini',
    );
  });
});
