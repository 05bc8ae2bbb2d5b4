/** Administrative actions that append an audit entry; the SPA labels each of them. */
export const auditActions = [
  'plan.create',
  'plan.update',
  'plan.delete',
  'price.update',
  'tenant.create',
  'tenant.update',
  'tenant.suspend',
  'tenant.reactivate',
  'credits.grant',
  'credits.monthly-grant',
  'credits.allocate',
  'credits.reclaim',
  'credit-request.approve',
  'credit-request.deny',
  'alerts.update',
  'user.invite',
  'user.resend-invitation',
  'user.revoke-invitation',
  'user.change-role',
  'user.disable',
  'user.enable',
  'user.delete',
  'user.reset-mfa',
  'key.update',
  'key.rotate',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Kinds of record an audit entry names as its target. */
export const auditTargetTypes = [
  'plan',
  'prices',
  'tenant',
  'user',
  'key',
  'creditRequest',
  'alerts',
] as const;
export type AuditTargetType = (typeof auditTargetTypes)[number];
