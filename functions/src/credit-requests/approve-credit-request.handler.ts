import { creditRequestDecisionSchema, tenantCreditRequestParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { approve } from './credit-requests.service';

export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants/{tenantId}/credit-requests/{requestId}/approval',
  params: tenantCreditRequestParamsSchema,
  body: creditRequestDecisionSchema,
  handle: async ({ caller, params, body }) =>
    jsonResponse(200, await approve({ ...params, actor: caller, input: body })),
});
