import { listTenantsQuerySchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toTenantView } from './tenant.model';
import { listTenants, searchTenants } from './tenants.repository';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants',
  query: listTenantsQuerySchema,
  handle: async ({ query }) => {
    const { q, ...page } = query;
    const result = q === undefined ? await listTenants(page) : await searchTenants({ ...page, q });
    return jsonResponse(200, {
      items: result.items.map(toTenantView),
      nextCursor: result.nextCursor,
    });
  },
});
