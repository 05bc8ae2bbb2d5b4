import type { TenantUser } from '../../lib/api-client';

/** An action that a TenantAdmin runs on a member from the row's menu. */
export type UserAction =
  | 'resend'
  | 'make-admin'
  | 'make-user'
  | 'disable'
  | 'enable'
  | 'reset-mfa'
  | 'revoke'
  | 'delete';

export const userActionLabels: Record<UserAction, string> = {
  resend: 'Resend invitation',
  'make-admin': 'Make tenant admin',
  'make-user': 'Make user',
  disable: 'Disable',
  enable: 'Enable',
  'reset-mfa': 'Reset two-step verification',
  revoke: 'Revoke invitation',
  delete: 'Delete user',
};

/** Actions that remove the member, shown in red. */
export const destructiveUserActions: ReadonlySet<UserAction> = new Set(['revoke', 'delete']);

/**
 * Returns the actions that the API allows for a member in its current state, in menu order.
 * Resending needs a user who never signed in, and deleting such a user revokes the
 * invitation.
 */
export function availableUserActions(user: TenantUser): UserAction[] {
  const roleChange: UserAction = user.role === 'TenantAdmin' ? 'make-user' : 'make-admin';
  switch (user.status) {
    case 'INVITED':
      return ['resend', roleChange, 'disable', 'revoke'];
    case 'ACTIVE':
      return [roleChange, 'reset-mfa', 'disable', 'delete'];
    case 'DISABLED':
      // A member disabled before their first sign-in has no authenticator app to reset.
      return user.activatedAt === null
        ? ['enable', roleChange, 'delete']
        : ['enable', roleChange, 'reset-mfa', 'delete'];
    case 'DELETED':
      return [];
  }
}

/**
 * Returns whether the action needs confirmation first: removing a member and resetting
 * their second sign-in step always, and taking away the admin's own access when they act
 * on their own row.
 */
export function needsConfirmation(action: UserAction, isSelf: boolean): boolean {
  if (destructiveUserActions.has(action) || action === 'reset-mfa') return true;
  return isSelf && (action === 'make-user' || action === 'disable');
}
