import { AppError, type ModelPrice } from '@creditgate/shared';
import type { AlertSettings } from '../alerts/alert-settings';
import { integerEnv } from '../lib/env';
import type { PlanRecord } from '../plans/plan.model';
import { getPlan } from '../plans/plans.repository';
import { getPriceTable, type PriceTableRecord, pricesAt } from '../prices/prices.repository';
import type { TenantKeyState } from '../tenants/tenant.model';
import { getTenant } from '../tenants/tenants.repository';

/** The tenant facts an AI call needs besides the user item. */
export interface CallContext {
  planId: string;
  plan: PlanRecord;
  priceTable: PriceTableRecord;
  /** The tenant's own key state; absent when the tenant uses the platform key. */
  ownKey?: TenantKeyState;
  /** Low-balance alert thresholds, checked after the settlement. */
  alerts?: AlertSettings;
}

interface CacheEntry {
  value: Promise<CallContext | undefined>;
  expiresAt: number;
}

const cache = new Map<string, CacheEntry>();

/**
 * Returns the tenant's plan and the price table, cached per function instance for
 * `CALL_CONTEXT_CACHE_MS` (default 5 s) so calls do not read shared items each time. State
 * that must apply at once (suspension, disabled users, balances) is checked on the user
 * item inside the hold instead; a plan or price change reaches calls within the cache time.
 */
export async function getCallContext(tenantId: string): Promise<CallContext | undefined> {
  const now = Date.now();
  const cached = cache.get(tenantId);
  if (cached && cached.expiresAt > now) return cached.value;

  const value = loadCallContext(tenantId);
  cache.set(tenantId, { value, expiresAt: now + integerEnv('CALL_CONTEXT_CACHE_MS', 5_000) });
  // A failed read must not stay cached.
  value.catch(() => cache.delete(tenantId));
  return value;
}

async function loadCallContext(tenantId: string): Promise<CallContext | undefined> {
  const [tenant, priceTable] = await Promise.all([getTenant(tenantId), getPriceTable()]);
  if (!tenant) return undefined;
  const plan = await getPlan(tenant.planId);
  if (!plan) return undefined;
  return {
    planId: tenant.planId,
    plan,
    priceTable,
    ...(tenant.ownKey && { ownKey: tenant.ownKey }),
    ...(tenant.alerts && { alerts: tenant.alerts }),
  };
}

/**
 * Returns the price of `model` for a call that started at `startedAt` (epoch ms), or throws
 * 403 `MODEL_NOT_ALLOWED` when the plan does not include the model or it has no price.
 */
export function priceForModel(context: CallContext, model: string, startedAt: number): ModelPrice {
  const price = pricesAt(context.priceTable, startedAt)[model];
  if (context.plan.models.includes(model) && price) return price;
  throw new AppError(
    'MODEL_NOT_ALLOWED',
    `Model "${model}" is not available on your plan; GET /v1/models lists the ones you can use`,
    { details: { fields: [{ field: 'model', message: 'is not available on your plan' }] } },
  );
}

/** Drops one tenant's entry, so this instance reads a change it made itself at once. */
export function forgetCallContext(tenantId: string): void {
  cache.delete(tenantId);
}

/** Empties the cache; tests use it between scenarios. */
export function clearCallContextCache(): void {
  cache.clear();
}
