import { ulid } from '@creditgate/shared';
import type { Actor } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import { logger } from '../lib/logger';
import type { PlanRecord } from '../plans/plan.model';
import { getPlan } from '../plans/plans.repository';
import type { TenantRecord } from '../tenants/tenant.model';
import { listTenants } from '../tenants/tenants.repository';
import {
  applyMonthlyGrant,
  GrantRaceError,
  getMonthlyGrant,
  MonthlyGrantExistsError,
  type MonthlyGrantRecord,
} from './credits.repository';
import { getTenantCredits } from './credits.service';

/** Attempts per tenant when its grant loses a race with another change of the tenant. */
const GRANT_ATTEMPTS = 3;

/** Tenants granted at the same time, one page of the tenant list after another. */
const TENANT_CONCURRENCY = 8;

/** Counts of one monthly grant run. */
export interface MonthlyGrantResult {
  month: string;
  /** Active tenants handled. */
  tenants: number;
  /** Tenants that received the plan's full monthly credits. */
  granted: number;
  /** Tenants that received less because of their credit limit (at least 1 credit). */
  capped: number;
  /** Tenants recorded with 0 credits: a plan without monthly credits, or at the limit. */
  nothingGranted: number;
  /** Tenants whose month was recorded by an earlier or concurrent run. */
  alreadyGranted: number;
  failed: number;
  /** Credits granted by this run, all tenants together. */
  credits: number;
}

type TenantOutcome = 'granted' | 'capped' | 'nothingGranted' | 'alreadyGranted' | 'failed';

/**
 * Grants every active tenant its plan's `monthlyCredits` for `month`, once: the grant is
 * written together with a `MONTHLY_GRANT#<month>` record that can exist only once, so a
 * second, concurrent or late run grants nothing more. Unspent credits (granted minus spent)
 * may not pass the credit limit: a grant that would is cut to fit, and the ledger entry
 * records the requested amount. A tenant whose plan grants nothing, or that is at its
 * limit, gets a record with 0 and no ledger entry, so a rerun leaves it alone. Every
 * recorded month gets an audit entry by `actor`. A tenant that fails is logged and counted,
 * and has no record, so a rerun tries it again.
 */
export async function grantMonthlyCredits(options: {
  month: string;
  actor: Actor;
}): Promise<MonthlyGrantResult> {
  const result: MonthlyGrantResult = {
    month: options.month,
    tenants: 0,
    granted: 0,
    capped: 0,
    nothingGranted: 0,
    alreadyGranted: 0,
    failed: 0,
    credits: 0,
  };
  const plans = new Map<string, Promise<PlanRecord | undefined>>();
  const planOf = (planId: string) => {
    let plan = plans.get(planId);
    if (!plan) {
      plan = getPlan(planId);
      plans.set(planId, plan);
    }
    return plan;
  };

  let cursor: string | undefined;
  do {
    const page = await listTenants({ limit: 100, cursor });
    const activeTenants = page.items.filter((tenant) => tenant.status === 'ACTIVE');
    for (let start = 0; start < activeTenants.length; start += TENANT_CONCURRENCY) {
      const batch = activeTenants.slice(start, start + TENANT_CONCURRENCY);
      const outcomes = await Promise.all(
        batch.map((tenant) => grantTenantMonth(tenant, options, planOf)),
      );
      for (const outcome of outcomes) {
        result.tenants++;
        result[outcome.kind]++;
        result.credits += outcome.credits;
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return result;
}

async function grantTenantMonth(
  tenant: TenantRecord,
  options: { month: string; actor: Actor },
  planOf: (planId: string) => Promise<PlanRecord | undefined>,
): Promise<{ kind: TenantOutcome; credits: number }> {
  const { month } = options;
  const ids = { tenant_id: tenant.tenantId, month };
  try {
    // Reruns stop here without reading the tenant's users.
    if (await getMonthlyGrant(tenant.tenantId, month))
      return { kind: 'alreadyGranted', credits: 0 };
    const plan = await planOf(tenant.planId);
    if (!plan) {
      logger.error('Monthly grant skipped: the tenant plan does not exist', {
        ...ids,
        plan_id: tenant.planId,
      });
      return { kind: 'failed', credits: 0 };
    }

    for (let attempt = 1; attempt <= GRANT_ATTEMPTS; attempt++) {
      const credits = await getTenantCredits(tenant.tenantId);
      const requested = plan.monthlyCredits;
      const headroom = Math.max(0, credits.creditLimit - (credits.granted - credits.spent));
      const amount = Math.min(requested, headroom);
      const now = new Date().toISOString();
      const entryId = amount > 0 ? ulid() : undefined;
      const record: MonthlyGrantRecord = {
        tenantId: tenant.tenantId,
        month,
        planId: plan.planId,
        requested,
        granted: amount,
        reason: monthlyGrantReason(month, requested, amount),
        ...(entryId && { entryId }),
        createdAt: now,
      };
      try {
        await applyMonthlyGrant({
          record,
          expectedGranted: credits.granted,
          expectedCreditLimit: credits.creditLimit,
          entry: entryId
            ? {
                entryId,
                tenantId: tenant.tenantId,
                type: 'GRANT',
                amount,
                reason: record.reason,
                actorId: options.actor.userId,
                createdAt: now,
                ...(amount < requested && { requested }),
              }
            : undefined,
          audit: newAuditEntry({
            actor: options.actor,
            tenantId: tenant.tenantId,
            action: 'credits.monthly-grant',
            targetType: 'tenant',
            targetId: tenant.tenantId,
            details: { month, planId: plan.planId, requested, granted: amount },
          }),
        });
        let kind: TenantOutcome = 'granted';
        if (amount === 0) kind = 'nothingGranted';
        else if (amount < requested) kind = 'capped';
        logger.info('Monthly plan credits recorded', { ...ids, requested, granted: amount });
        return { kind, credits: amount };
      } catch (error) {
        if (!(error instanceof GrantRaceError)) throw error;
        logger.info('Monthly grant raced another tenant change; retrying', { ...ids, attempt });
      }
    }
    logger.error('Monthly grant skipped: the tenant kept changing', ids);
    return { kind: 'failed', credits: 0 };
  } catch (error) {
    if (error instanceof MonthlyGrantExistsError) return { kind: 'alreadyGranted', credits: 0 };
    logger.error('Monthly grant failed', { ...ids, error: error as Error });
    return { kind: 'failed', credits: 0 };
  }
}

/** Returns the ledger and record reason of a month's plan credits, naming any cut. */
export function monthlyGrantReason(month: string, requested: number, granted: number): string {
  const base = `Monthly plan credits for ${month}`;
  if (requested === 0) return `${base}: the plan grants none`;
  if (granted === 0) return `${base}: none granted, unspent credits are at the credit limit`;
  if (granted < requested) {
    return `${base}, cut from ${requested} to ${granted} by the credit limit`;
  }
  return base;
}
