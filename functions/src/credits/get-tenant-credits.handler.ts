import { tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getTenantCredits } from './credits.service';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}/credits',
  params: tenantParamsSchema,
  handle: async ({ params }) => jsonResponse(200, await getTenantCredits(params.tenantId)),
});
