import { createPlanSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toPlanView } from './plan.model';
import { createPlan } from './plans.service';

export const handler = platformHandler({
  method: 'POST',
  path: '/v1/plans',
  body: createPlanSchema,
  handle: async ({ caller, body }) =>
    jsonResponse(201, toPlanView(await createPlan({ actor: caller, input: body }))),
});
