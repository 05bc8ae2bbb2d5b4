import {
  type CreatePlanInput,
  newPlanId,
  PLATFORM_TENANT_ID,
  type UpdatePlanInput,
  validationError,
} from '@creditgate/shared';
import type { Actor } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import { logger } from '../lib/logger';
import { getPriceTable } from '../prices/prices.repository';
import type { PlanRecord } from './plan.model';
import { deletePlan, putNewPlan, updatePlan } from './plans.repository';

/** Creates a plan; every model it lists must have a price. */
export async function createPlan(options: {
  actor: Actor;
  input: CreatePlanInput;
}): Promise<PlanRecord> {
  await assertModelsArePriced(options.input.models);
  const now = new Date().toISOString();
  const plan: PlanRecord = {
    planId: newPlanId(),
    ...options.input,
    createdAt: now,
    updatedAt: now,
  };
  const audit = newAuditEntry({
    actor: options.actor,
    tenantId: PLATFORM_TENANT_ID,
    action: 'plan.create',
    targetType: 'plan',
    targetId: plan.planId,
    details: { name: plan.name },
  });
  await putNewPlan(plan, audit);
  logger.info('Plan created', { plan_id: plan.planId });
  return plan;
}

/** Changes some fields of a plan; new models must have a price. */
export async function changePlan(options: {
  planId: string;
  actor: Actor;
  input: UpdatePlanInput;
}): Promise<PlanRecord> {
  if (options.input.models) await assertModelsArePriced(options.input.models);
  const audit = newAuditEntry({
    actor: options.actor,
    tenantId: PLATFORM_TENANT_ID,
    action: 'plan.update',
    targetType: 'plan',
    targetId: options.planId,
    details: { fields: Object.keys(options.input) },
  });
  const plan = await updatePlan(options.planId, options.input, new Date().toISOString(), audit);
  logger.info('Plan updated', { plan_id: plan.planId });
  return plan;
}

/** Deletes a plan that no tenant is on. */
export async function removePlan(options: { planId: string; actor: Actor }): Promise<void> {
  const audit = newAuditEntry({
    actor: options.actor,
    tenantId: PLATFORM_TENANT_ID,
    action: 'plan.delete',
    targetType: 'plan',
    targetId: options.planId,
  });
  await deletePlan(options.planId, audit);
  logger.info('Plan deleted', { plan_id: options.planId });
}

async function assertModelsArePriced(models: string[]): Promise<void> {
  const { prices } = await getPriceTable();
  const issues = models.flatMap((model, index) =>
    prices[model]
      ? []
      : [{ field: `models.${index}`, message: `"${model}" has no price in the price table` }],
  );
  if (issues.length > 0) throw validationError(issues);
}
