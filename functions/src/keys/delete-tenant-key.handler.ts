import { tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { removeTenantKey } from './tenant-key.service';

/** Removes the tenant's own key, so its calls use the platform key again. */
export const handler = platformHandler({
  method: 'DELETE',
  path: '/v1/tenants/{tenantId}/ai-key',
  params: tenantParamsSchema,
  handle: async ({ caller, params }) =>
    jsonResponse(200, await removeTenantKey({ tenantId: params.tenantId, actor: caller })),
});
