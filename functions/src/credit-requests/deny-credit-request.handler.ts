import { creditRequestDecisionSchema, tenantCreditRequestParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { deny } from './credit-requests.service';

export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants/{tenantId}/credit-requests/{requestId}/denial',
  params: tenantCreditRequestParamsSchema,
  body: creditRequestDecisionSchema,
  handle: async ({ caller, params, body }) =>
    jsonResponse(200, await deny({ ...params, actor: caller, input: body })),
});
