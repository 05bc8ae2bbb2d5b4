// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { KeyInputForm } from './key-input-form';

function renderForm(onSubmit = vi.fn(async () => undefined)) {
  renderWithProviders(
    <KeyInputForm
      label="Own OpenAI key"
      helperText="Write-only."
      submitLabel="Set key"
      onSubmit={onSubmit}
    />,
  );
  return onSubmit;
}

describe('KeyInputForm', () => {
  it('rejects an admin key before sending', async () => {
    const user = userEvent.setup();
    const onSubmit = renderForm();

    await user.type(screen.getByLabelText('Own OpenAI key'), 'sk-admin-0123456789abcdefghij');
    await user.click(screen.getByRole('button', { name: 'Set key' }));

    expect(await screen.findByText(/Admin keys cannot serve calls/)).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('rejects text that is no key', async () => {
    const user = userEvent.setup();
    const onSubmit = renderForm();

    await user.type(screen.getByLabelText('Own OpenAI key'), 'my password');
    await user.click(screen.getByRole('button', { name: 'Set key' }));

    expect(await screen.findByText(/Paste an OpenAI key/)).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends the key once and clears the field', async () => {
    const user = userEvent.setup();
    const onSubmit = renderForm();
    const field = screen.getByLabelText('Own OpenAI key') as HTMLInputElement;

    await user.type(field, '  sk-proj-0123456789abcdefghij ');
    await user.dblClick(screen.getByRole('button', { name: 'Set key' }));

    await waitFor(() => expect(field.value).toBe(''));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit).toHaveBeenCalledWith('sk-proj-0123456789abcdefghij');
    expect(field.type).toBe('password');
  });
});
