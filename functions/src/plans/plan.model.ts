import type { CreatePlanInput } from '@creditgate/shared';

/** A subscription plan as stored and returned. */
export interface PlanRecord extends CreatePlanInput {
  planId: string;
  createdAt: string;
  updatedAt: string;
}

export function toPlanView(plan: PlanRecord & { tenantCount?: number }) {
  return {
    tenantCount: Number(plan.tenantCount ?? 0),
    planId: plan.planId,
    name: plan.name,
    monthlyCredits: plan.monthlyCredits,
    seatLimit: plan.seatLimit,
    models: plan.models,
    maxTokensPerRequest: plan.maxTokensPerRequest,
    requestsPerMinute: plan.requestsPerMinute,
    concurrentStreams: plan.concurrentStreams,
    allowOwnKey: plan.allowOwnKey,
    ownKeyRatePercent: plan.ownKeyRatePercent,
    ownKeyFallback: plan.ownKeyFallback,
    createdAt: plan.createdAt,
    updatedAt: plan.updatedAt,
  };
}
