// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { createMe, renderWithProviders } from '../../test/render';
import { ConsoleFallback } from './console-fallback';

function renderAt(path: string) {
  renderWithProviders(
    <Routes>
      <Route path="/overview" element={<h1>Overview page</h1>} />
      <Route path="*" element={<ConsoleFallback />} />
    </Routes>,
    { path, auth: { me: createMe({ role: 'TenantAdmin' }) } },
  );
}

describe('ConsoleFallback', () => {
  it('shows an unknown path as not found', () => {
    renderAt('/tenants');

    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeTruthy();
    expect(screen.getByText('There is no page at /tenants.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to Overview' }).getAttribute('href')).toBe(
      '/overview',
    );
  });

  it.each(['/', '/accept-invite', '/forgot-password'])('leads %s home', (path) => {
    renderAt(path);

    expect(screen.getByRole('heading', { name: 'Overview page' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Page not found' })).toBeNull();
  });
});
