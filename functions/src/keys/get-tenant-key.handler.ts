import { tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getTenantKeyStatus } from './tenant-key.service';

/** The source and status of the key serving the tenant's calls, never any part of the key. */
export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}/ai-key',
  params: tenantParamsSchema,
  handle: async ({ params }) => jsonResponse(200, await getTenantKeyStatus(params.tenantId)),
});
