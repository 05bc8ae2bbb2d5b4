import { setTenantKeySchema, tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { setTenantKey } from './tenant-key.service';

/** Tests and stores the tenant's own OpenAI key; the key is neither logged nor returned. */
export const handler = platformHandler({
  method: 'PUT',
  path: '/v1/tenants/{tenantId}/ai-key',
  params: tenantParamsSchema,
  body: setTenantKeySchema,
  handle: async ({ caller, params, body }) =>
    jsonResponse(
      200,
      await setTenantKey({ tenantId: params.tenantId, actor: caller, apiKey: body.apiKey }),
    ),
});
