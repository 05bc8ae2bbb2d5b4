import type { Role } from '@creditgate/shared';

/** The screens each role may open, first one being its home. */
export const navigationByRole: Record<Role, { path: string; label: string }[]> = {
  SuperAdmin: [
    { path: '/tenants', label: 'Tenants' },
    { path: '/audit', label: 'Audit log' },
  ],
  TenantAdmin: [
    { path: '/users', label: 'Users' },
    { path: '/audit', label: 'Audit log' },
    { path: '/chat', label: 'Chat' },
  ],
  User: [{ path: '/chat', label: 'Chat' }],
};

/** Returns the path a role lands on after sign-in. */
export function homePathFor(role: Role): string {
  return navigationByRole[role][0]?.path ?? '/';
}
