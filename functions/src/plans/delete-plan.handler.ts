import { planIdSchema } from '@creditgate/shared';
import { z } from 'zod';
import { platformHandler } from '../lib/http/platform-handler';
import { noContentResponse } from '../lib/http/response';
import { removePlan } from './plans.service';

export const handler = platformHandler({
  method: 'DELETE',
  path: '/v1/plans/{planId}',
  params: z.object({ planId: planIdSchema }),
  handle: async ({ caller, params }) => {
    await removePlan({ planId: params.planId, actor: caller });
    return noContentResponse();
  },
});
