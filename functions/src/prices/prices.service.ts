import { AppError, PLATFORM_TENANT_ID, type PriceTable } from '@creditgate/shared';
import type { Actor } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import { integerEnv } from '../lib/env';
import { logger } from '../lib/logger';
import type { PlanRecord } from '../plans/plan.model';
import { listPlans } from '../plans/plans.repository';
import { getPriceTable, type PriceTableRecord, pricesAt, putPriceTable } from './prices.repository';

/**
 * Replaces the price table. The change takes effect `PRICE_CHANGE_DELAY_MS` (default 10 s)
 * later, longer than any function caches prices, so it applies exactly to the calls that
 * start after the returned `effectiveAt`. Models that a plan lists must keep a price.
 */
export async function replacePrices(options: {
  actor: Actor;
  prices: PriceTable;
}): Promise<PriceTableRecord> {
  const usedModels = await listModelsInPlans();
  const unpriced = [...usedModels].filter((model) => !options.prices[model]).sort();
  if (unpriced.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Plans still list these models, so they need a price: ${unpriced.join(', ')}`,
      {
        details: { models: unpriced },
      },
    );
  }

  const now = Date.now();
  const current = await getPriceTable();
  const record: PriceTableRecord = {
    prices: options.prices,
    // Calls that start before the new prices take effect keep the prices in force now.
    previousPrices: pricesAt(current, now),
    effectiveAt: new Date(now + integerEnv('PRICE_CHANGE_DELAY_MS', 10_000)).toISOString(),
    updatedAt: new Date(now).toISOString(),
  };
  const audit = newAuditEntry({
    actor: options.actor,
    tenantId: PLATFORM_TENANT_ID,
    action: 'price.update',
    targetType: 'prices',
    targetId: 'prices',
    details: { models: Object.keys(options.prices).sort(), effectiveAt: record.effectiveAt },
  });
  await putPriceTable(record, audit);
  logger.info('Prices updated', { effective_at: record.effectiveAt });
  return record;
}

async function listModelsInPlans(): Promise<Set<string>> {
  const models = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await listPlans({ limit: 100, cursor });
    for (const plan of page.items as PlanRecord[])
      for (const model of plan.models) models.add(model);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return models;
}
