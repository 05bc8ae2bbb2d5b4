import { createCreditRequestSchema, tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { createCreditRequest } from './credit-requests.service';

/** Creates a member's request for credits from the tenant's admins, always for the caller. */
export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants/{tenantId}/credit-requests',
  params: tenantParamsSchema,
  body: createCreditRequestSchema,
  handle: async ({ caller, params, body }) =>
    jsonResponse(
      201,
      await createCreditRequest({ tenantId: params.tenantId, caller, input: body }),
    ),
});
