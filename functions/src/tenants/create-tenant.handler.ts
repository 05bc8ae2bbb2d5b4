import { createTenantSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toTenantView } from './tenant.model';
import { createTenant } from './tenants.service';

export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants',
  body: createTenantSchema,
  handle: async ({ caller, body }) => {
    const { tenant, admin } = await createTenant({ actor: caller, input: body });
    return jsonResponse(201, {
      ...toTenantView(tenant),
      admin: { userId: admin.userId, email: admin.email, status: admin.status },
    });
  },
});
