import { listQuerySchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toTenantView } from './tenant.model';
import { listTenants } from './tenants.repository';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants',
  query: listQuerySchema,
  handle: async ({ query }) => {
    const page = await listTenants(query);
    return jsonResponse(200, { items: page.items.map(toTenantView), nextCursor: page.nextCursor });
  },
});
