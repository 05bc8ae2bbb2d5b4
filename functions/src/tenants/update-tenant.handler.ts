import { tenantParamsSchema, updateTenantSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toTenantView } from './tenant.model';
import { changeTenant } from './tenants.service';

export const handler = platformHandler({
  method: 'PATCH',
  path: '/v1/tenants/{tenantId}',
  params: tenantParamsSchema,
  body: updateTenantSchema,
  handle: async ({ caller, params, body }) =>
    jsonResponse(
      200,
      toTenantView(await changeTenant({ tenantId: params.tenantId, actor: caller, input: body })),
    ),
});
