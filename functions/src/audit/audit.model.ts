import type { AuditAction, AuditTargetType } from '@creditgate/shared';

export { type AuditAction, auditActions } from '@creditgate/shared';

/** Who did an action and in which request; every administrative service call receives it. */
export interface Actor {
  userId: string;
  email: string;
  requestId: string;
}

/** Actor id of scheduled jobs in audit and ledger entries, where a user id would otherwise be. */
export const SYSTEM_ACTOR_ID = 'system';

/** Returns the actor of a scheduled job's run; `requestId` is the Lambda invocation id. */
export function systemActor(requestId: string): Actor {
  return { userId: SYSTEM_ACTOR_ID, email: SYSTEM_ACTOR_ID, requestId };
}

/** One audit log entry. Entries are only ever appended. */
export interface AuditEntry {
  auditId: string;
  /** The tenant the action concerns; `platform` for plans, prices and keys. */
  tenantId: string;
  action: AuditAction;
  actorId: string;
  actorEmail: string;
  targetType: AuditTargetType;
  targetId: string;
  requestId: string;
  createdAt: string;
  details?: Record<string, unknown>;
}
