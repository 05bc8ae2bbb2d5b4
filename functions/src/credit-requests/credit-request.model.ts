import type { CreditRequestStatus } from '@creditgate/shared';

/** A User's request for more credits, as stored. Only its decision fields ever change. */
export interface CreditRequestRecord {
  requestId: string;
  tenantId: string;
  userId: string;
  email: string;
  amount: number;
  reason: string;
  status: CreditRequestStatus;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  note?: string;
}

/** Pending requests one user may have at a time. */
export const MAX_PENDING_PER_USER = 3;

export function toCreditRequestView(request: CreditRequestRecord) {
  return {
    requestId: request.requestId,
    userId: request.userId,
    email: request.email,
    amount: request.amount,
    reason: request.reason,
    status: request.status,
    createdAt: request.createdAt,
    decidedAt: request.decidedAt ?? null,
    decidedBy: request.decidedBy ?? null,
    note: request.note ?? null,
  };
}
