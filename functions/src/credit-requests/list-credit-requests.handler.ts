import { creditRequestQuerySchema, tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getExistingTenant } from '../tenants/tenants.service';
import { toCreditRequestView } from './credit-request.model';
import { listCreditRequests } from './credit-requests.repository';

/** Credit requests, newest first: a User's own, or the whole tenant's for its admins. */
export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}/credit-requests',
  params: tenantParamsSchema,
  query: creditRequestQuerySchema,
  handle: async ({ caller, params, query }) => {
    await getExistingTenant(params.tenantId);
    const page = await listCreditRequests({
      tenantId: params.tenantId,
      ...(caller.role === 'User' && { userId: caller.userId }),
      ...query,
    });
    return jsonResponse(200, {
      items: page.items.map(toCreditRequestView),
      nextCursor: page.nextCursor,
    });
  },
});
