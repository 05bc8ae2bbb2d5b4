import { listQuerySchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toPlanView } from './plan.model';
import { listPlans } from './plans.repository';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/plans',
  query: listQuerySchema,
  handle: async ({ query }) => {
    const page = await listPlans(query);
    return jsonResponse(200, { items: page.items.map(toPlanView), nextCursor: page.nextCursor });
  },
});
