import { auditQuerySchema, tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getExistingTenant } from '../tenants/tenants.service';
import { listTenantAudit } from './audit.repository';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}/audit',
  params: tenantParamsSchema,
  query: auditQuerySchema,
  handle: async ({ params, query }) => {
    await getExistingTenant(params.tenantId);
    return jsonResponse(200, await listTenantAudit(params.tenantId, query));
  },
});
