// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { PageHeader } from './page-header';

describe('PageHeader', () => {
  it('names the browser tab after the page', () => {
    const { unmount } = renderWithProviders(<PageHeader title="Usage" />);

    expect(screen.getByRole('heading', { level: 1, name: 'Usage' })).toBeTruthy();
    expect(document.title).toBe('Usage · Creditgate');

    unmount();
    expect(document.title).toBe('Creditgate');
  });
});
