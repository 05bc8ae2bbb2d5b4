import type { AuditAction } from '@creditgate/shared';

/**
 * Labels of the audit log's actions, in the order the filter lists them. The type requires
 * a label for every action of the shared list, so a new action fails the type check here.
 */
const actionLabels = {
  'user.invite': 'User invited',
  'user.resend-invitation': 'Invitation resent',
  'user.revoke-invitation': 'Invitation revoked',
  'user.change-role': 'Role changed',
  'user.disable': 'User disabled',
  'user.enable': 'User enabled',
  'user.delete': 'User deleted',
  'user.reset-mfa': 'Two-step verification reset',
  'credits.allocate': 'Credits allocated',
  'credits.reclaim': 'Credits reclaimed',
  'credits.grant': 'Credits granted',
  'credits.monthly-grant': 'Monthly credits granted',
  'credit-request.approve': 'Credit request approved',
  'credit-request.deny': 'Credit request denied',
  'alerts.update': 'Alerts changed',
  'tenant.create': 'Tenant created',
  'tenant.update': 'Tenant changed',
  'tenant.suspend': 'Tenant suspended',
  'tenant.reactivate': 'Tenant reactivated',
  'key.update': 'API key changed',
  'key.rotate': 'API key rotated',
  'plan.create': 'Plan created',
  'plan.update': 'Plan changed',
  'plan.delete': 'Plan deleted',
  'price.update': 'Prices changed',
} as const satisfies Record<AuditAction, string>;

/** Every action, for the SuperAdmins' log of all tenants and the platform. */
export const platformAuditActions: readonly string[] = Object.keys(actionLabels);

/** Actions that can appear in one tenant's log. Plans and prices are platform actions. */
export const tenantAuditActions: readonly string[] = platformAuditActions.filter(
  (action) => !action.startsWith('plan.') && action !== 'price.update',
);

/** Returns the label of an action such as `user.invite`, or the code itself if unknown. */
export function formatAuditAction(action: string): string {
  return (actionLabels as Record<string, string>)[action] ?? action;
}

/**
 * Formats an entry's details as `name: value` pairs separated by `·`, naming nested fields
 * by their path, such as `to.role: TenantAdmin`.
 */
export function formatAuditDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  const pairs: string[] = [];
  const visit = (value: unknown, path: string, depth: number) => {
    if (isPlainObject(value) && depth < 3) {
      for (const [name, nested] of Object.entries(value)) {
        visit(nested, path ? `${path}.${name}` : name, depth + 1);
      }
      return;
    }
    pairs.push(`${path}: ${formatValue(value)}`);
  };
  visit(details, '', 0);
  return pairs.join(' · ');
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '—';
  return JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
