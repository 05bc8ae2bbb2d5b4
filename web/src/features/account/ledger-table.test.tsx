// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../lib/api-types';
import { renderWithProviders } from '../../test/render';
import { LedgerTable } from './ledger-table';

const base = {
  tenantId: 'tnt_01J00000000000000000000000',
  createdAt: '2026-12-05T10:00:00.000Z',
  actorId: 'user-1',
  userId: 'user-1',
};

const settle: LedgerEntry = {
  ...base,
  entryId: 'entry-2',
  type: 'SETTLE',
  amount: 3,
  requestId: 'req_1',
  model: 'gpt-4o-mini',
  usage: { promptTokens: 1_200, cachedPromptTokens: 0, completionTokens: 34 },
};
const hold: LedgerEntry = {
  ...base,
  entryId: 'entry-1',
  type: 'HOLD',
  amount: 247,
  requestId: 'req_1',
};

describe('LedgerTable', () => {
  it('shows tokens and the cost of a call', () => {
    renderWithProviders(<LedgerTable entries={[settle, hold]} title="Recent activity" />);

    const rows = within(screen.getByRole('table', { name: 'Recent activity' })).getAllByRole('row');
    expect(rows).toHaveLength(2);
    const cells = within(rows[1] as HTMLElement).getAllByRole('cell');
    expect(cells.map((cell) => cell.textContent)).toEqual([
      expect.any(String),
      'AI callreq_1',
      'gpt-4o-mini',
      '1,200 / 34',
      '−3',
    ]);
  });

  it('stops at the row limit', () => {
    const allocations: LedgerEntry[] = [1, 2, 3].map((index) => ({
      ...base,
      entryId: `allocation-${index}`,
      type: 'ALLOCATE',
      amount: index,
    }));

    renderWithProviders(<LedgerTable entries={allocations} title="Recent activity" maxRows={2} />);

    expect(screen.getAllByRole('row')).toHaveLength(3);
  });
});
