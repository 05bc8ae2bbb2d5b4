import { planParamsSchema, updatePlanSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toPlanView } from './plan.model';
import { changePlan } from './plans.service';

export const handler = platformHandler({
  method: 'PATCH',
  path: '/v1/plans/{planId}',
  params: planParamsSchema,
  body: updatePlanSchema,
  handle: async ({ caller, params, body }) =>
    jsonResponse(
      200,
      toPlanView(await changePlan({ planId: params.planId, actor: caller, input: body })),
    ),
});
