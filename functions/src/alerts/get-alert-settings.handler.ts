import { tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getExistingTenant } from '../tenants/tenants.service';
import { ALERTS_OFF } from './alert-settings';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}/alerts',
  params: tenantParamsSchema,
  handle: async ({ params }) => {
    const tenant = await getExistingTenant(params.tenantId);
    return jsonResponse(200, tenant.alerts ?? ALERTS_OFF);
  },
});
