import { planParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { noContentResponse } from '../lib/http/response';
import { removePlan } from './plans.service';

export const handler = platformHandler({
  method: 'DELETE',
  path: '/v1/plans/{planId}',
  params: planParamsSchema,
  handle: async ({ caller, params }) => {
    await removePlan({ planId: params.planId, actor: caller });
    return noContentResponse();
  },
});
