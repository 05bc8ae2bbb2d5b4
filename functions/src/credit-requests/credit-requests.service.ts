import {
  AppError,
  type CreateCreditRequestInput,
  type CreditRequestDecisionInput,
  formatCount,
  newCreditRequestId,
  ulid,
} from '@creditgate/shared';
import type { Actor } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import { alertAfterMove } from '../credits/credits.service';
import type { LedgerEntry } from '../credits/ledger.model';
import type { Caller } from '../lib/auth/authenticate';
import { logger } from '../lib/logger';
import { emailTenantAdmins, sendQuietly } from '../notifications/mailer';
import { getTenant } from '../tenants/tenants.repository';
import { getUser } from '../users/users.repository';
import { type CreditRequestRecord, toCreditRequestView } from './credit-request.model';
import {
  approveCreditRequest,
  denyCreditRequest,
  getCreditRequest,
  putCreditRequest,
} from './credit-requests.repository';

/** Records a member's request for credits and emails the tenant's admins. */
export async function createCreditRequest(options: {
  tenantId: string;
  caller: Caller;
  input: CreateCreditRequestInput;
}) {
  const { tenantId, caller, input } = options;
  const request: CreditRequestRecord = {
    requestId: newCreditRequestId(),
    tenantId,
    userId: caller.userId,
    email: caller.email,
    amount: input.amount,
    reason: input.reason,
    status: 'PENDING',
    createdAt: new Date().toISOString(),
  };
  await putCreditRequest(request);
  logger.info('Credit request created', { credit_request_id: request.requestId });
  await emailTenantAdmins(tenantId, {
    subject: `${caller.email} asks for ${formatCount(input.amount)} credits`,
    body:
      `${caller.email} asks for ${formatCount(input.amount)} credits: "${input.reason}". ` +
      'Approve or deny the request under Credit requests in Creditgate.',
  });
  return toCreditRequestView(request);
}

interface DecisionOptions {
  tenantId: string;
  requestId: string;
  actor: Actor;
  input: CreditRequestDecisionInput;
}

/**
 * Approves a pending request: the amount moves from the pool to the requester in the same
 * transaction as the decision, and the requester is emailed.
 */
export async function approve(options: DecisionOptions) {
  const { request, decided } = await decide(options, 'APPROVED');
  const [user, tenant] = await Promise.all([
    getUser(request.tenantId, request.userId),
    getTenant(request.tenantId),
  ]);
  await alertAfterMove(tenant, user, 'allocate');
  await emailDecision(request, options, 'approved', 'and the credits are in your balance now');
  return {
    request: toCreditRequestView(decided),
    userBalance: user?.balance ?? 0,
    poolBalance: tenant?.poolBalance ?? 0,
  };
}

/** Denies a pending request and emails the requester. */
export async function deny(options: DecisionOptions) {
  const { request, decided } = await decide(options, 'DENIED');
  await emailDecision(request, options, 'denied');
  return { request: toCreditRequestView(decided) };
}

/** Writes an admin's decision on a pending request with its ledger and audit entries. */
async function decide(options: DecisionOptions, status: 'APPROVED' | 'DENIED') {
  const { actor, input } = options;
  const request = await requirePending(options.tenantId, options.requestId);
  const decided = decidedRecord(request, status, actor, input.note);
  const isApproval = status === 'APPROVED';
  const write = isApproval ? approveCreditRequest : denyCreditRequest;
  await write({
    request,
    status,
    decidedAt: decided.decidedAt as string,
    decidedBy: actor.email,
    note: input.note,
    entry: decisionEntry(request, isApproval ? 'ALLOCATE' : 'REQUEST_DENIED', actor, input.note),
    audit: decisionAudit(
      request,
      isApproval ? 'credit-request.approve' : 'credit-request.deny',
      actor,
    ),
  });
  logger.info('Credit request decided', { credit_request_id: request.requestId, status });
  return { request, decided };
}

async function emailDecision(
  request: CreditRequestRecord,
  options: DecisionOptions,
  outcome: 'approved' | 'denied',
  consequence?: string,
): Promise<void> {
  const subject = `Your request for ${formatCount(request.amount)} credits was ${outcome}`;
  await sendQuietly({
    to: request.email,
    subject,
    body:
      `${subject} by ${options.actor.email}${consequence ? `, ${consequence}` : ''}.` +
      noteLine(options.input.note),
  });
}

async function requirePending(tenantId: string, requestId: string): Promise<CreditRequestRecord> {
  const request = await getCreditRequest(tenantId, requestId);
  if (!request) throw new AppError('NOT_FOUND', 'Credit request not found');
  if (request.status !== 'PENDING')
    throw new AppError('CONFLICT', 'The credit request was already decided');
  return request;
}

function decidedRecord(
  request: CreditRequestRecord,
  status: 'APPROVED' | 'DENIED',
  actor: Actor,
  note: string | undefined,
): CreditRequestRecord {
  return {
    ...request,
    status,
    decidedAt: new Date().toISOString(),
    decidedBy: actor.email,
    ...(note && { note }),
  };
}

function decisionEntry(
  request: CreditRequestRecord,
  type: 'ALLOCATE' | 'REQUEST_DENIED',
  actor: Actor,
  note: string | undefined,
): LedgerEntry {
  return {
    entryId: ulid(),
    tenantId: request.tenantId,
    userId: request.userId,
    type,
    amount: request.amount,
    actorId: actor.userId,
    creditRequestId: request.requestId,
    reason: note
      ? `Credit request: ${request.reason} (${note})`
      : `Credit request: ${request.reason}`,
    createdAt: new Date().toISOString(),
  };
}

function decisionAudit(
  request: CreditRequestRecord,
  action: 'credit-request.approve' | 'credit-request.deny',
  actor: Actor,
) {
  return newAuditEntry({
    actor,
    tenantId: request.tenantId,
    action,
    targetType: 'creditRequest',
    targetId: request.requestId,
    details: { userId: request.userId, amount: request.amount },
  });
}

function noteLine(note: string | undefined): string {
  return note ? `\n\nNote from your admin: ${note}` : '';
}
