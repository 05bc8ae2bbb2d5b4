// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { ConfirmDialog } from './confirm-dialog';

function renderDialog(isPending: boolean) {
  renderWithProviders(
    <ConfirmDialog
      isOpen
      title="Delete plan Team?"
      confirmLabel="Delete plan"
      isDestructive
      isPending={isPending}
      error={null}
      onConfirm={vi.fn()}
      onCancel={vi.fn()}
    >
      New tenants can no longer choose it.
    </ConfirmDialog>,
  );
  return screen.getByRole('alertdialog', { name: 'Delete plan Team?' });
}

describe('ConfirmDialog', () => {
  it('names its confirm button', async () => {
    const dialog = renderDialog(false);

    expect(within(dialog).getByRole('button', { name: 'Delete plan' })).toBeTruthy();
  });

  it('keeps the button name while pending', async () => {
    const dialog = renderDialog(true);

    const button = within(dialog).getByRole('button', { name: 'Delete plan' });
    expect(button.hasAttribute('disabled') || button.getAttribute('data-loading') !== null).toBe(
      true,
    );
  });
});
