import {
  type CreatePlanInput,
  newPlanId,
  type UpdatePlanInput,
  validationError,
} from '@creditgate/shared';
import type { Caller } from '../lib/auth/authenticate';
import { logger } from '../lib/logger';
import { getPriceTable } from '../prices/prices.repository';
import type { PlanRecord } from './plan.model';
import { putNewPlan, updatePlan } from './plans.repository';

/** Creates a plan; every model it lists must have a price. */
export async function createPlan(options: {
  actor: Caller;
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
  await putNewPlan(plan);
  logger.info('Plan created', { plan_id: plan.planId });
  return plan;
}

export async function changePlan(options: {
  planId: string;
  actor: Caller;
  input: UpdatePlanInput;
}): Promise<PlanRecord> {
  if (options.input.models) await assertModelsArePriced(options.input.models);
  const plan = await updatePlan(options.planId, options.input, new Date().toISOString());
  logger.info('Plan updated', { plan_id: plan.planId });
  return plan;
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
