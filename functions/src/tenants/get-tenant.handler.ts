import { tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toTenantView } from './tenant.model';
import { getTenantWithSeatLimit } from './tenants.service';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}',
  params: tenantParamsSchema,
  handle: async ({ params }) => {
    const { tenant, seatLimit } = await getTenantWithSeatLimit(params.tenantId);
    return jsonResponse(200, toTenantView(tenant, seatLimit));
  },
});
