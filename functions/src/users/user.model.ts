import type { Role, TenantStatus, UserStatus } from '@creditgate/shared';

/** A user record as stored. Credits are integers; `held` is the sum of the user's open holds. */
export interface UserRecord {
  tenantId: string;
  userId: string;
  email: string;
  role: Role;
  status: UserStatus;
  /** A copy of the tenant's status, so suspension reaches calls without a tenant read. */
  tenantStatus: TenantStatus;
  balance: number;
  held: number;
  spent: number;
  createdAt: string;
  invitedAt?: string;
  activatedAt?: string;
  lastActiveAt?: string;
}

/** The view of a user that the API returns. */
export function toUserView(user: UserRecord) {
  return {
    userId: user.userId,
    tenantId: user.tenantId,
    email: user.email,
    role: user.role,
    status: user.status,
    balance: user.balance,
    held: user.held,
    spent: user.spent,
    createdAt: user.createdAt,
    invitedAt: user.invitedAt ?? null,
    activatedAt: user.activatedAt ?? null,
    lastActiveAt: user.lastActiveAt ?? null,
  };
}
