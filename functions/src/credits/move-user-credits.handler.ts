import { moveCreditsSchema } from '@creditgate/shared';
import { tenantUserParamsSchema } from '../lib/http/path-params';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { moveUserCredits } from './credits.service';

export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants/{tenantId}/users/{userId}/credits',
  params: tenantUserParamsSchema,
  body: moveCreditsSchema,
  handle: async ({ caller, params, body }) =>
    jsonResponse(200, await moveUserCredits({ ...params, actor: caller, input: body })),
});
