import { listQuerySchema, tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toUserView } from './user.model';
import { listTenantUsers } from './users.service';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}/users',
  params: tenantParamsSchema,
  query: listQuerySchema,
  handle: async ({ params, query }) => {
    const page = await listTenantUsers({ tenantId: params.tenantId, ...query });
    return jsonResponse(200, { items: page.items.map(toUserView), nextCursor: page.nextCursor });
  },
});
