import type { Role } from '@creditgate/shared';

/** The screens each role may open, first one being its home. */
export const navigationByRole: Record<Role, { path: string; label: string }[]> = {
  SuperAdmin: [
    { path: '/overview', label: 'Overview' },
    { path: '/tenants', label: 'Tenants' },
    { path: '/plans', label: 'Plans' },
    { path: '/prices', label: 'Prices' },
    { path: '/ai-key', label: 'AI key' },
    { path: '/audit', label: 'Audit log' },
  ],
  TenantAdmin: [
    { path: '/overview', label: 'Overview' },
    { path: '/users', label: 'Users' },
    { path: '/credit-requests', label: 'Requests' },
    { path: '/usage', label: 'Usage' },
    { path: '/settings', label: 'Settings' },
    { path: '/audit', label: 'Audit log' },
    { path: '/chat', label: 'Chat' },
    { path: '/api-tokens', label: 'API tokens' },
  ],
  User: [
    { path: '/chat', label: 'Chat' },
    { path: '/balance', label: 'Balance' },
    { path: '/usage', label: 'Usage' },
    { path: '/api-tokens', label: 'API tokens' },
    { path: '/credit-requests', label: 'Request credits' },
  ],
};

/** Returns the path a role lands on after sign-in. */
export function homePathFor(role: Role): string {
  return navigationByRole[role][0]?.path ?? '/';
}
