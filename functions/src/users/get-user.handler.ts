import { tenantUserParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toUserView } from './user.model';
import { getTenantUser } from './users.service';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}/users/{userId}',
  params: tenantUserParamsSchema,
  handle: async ({ params }) => jsonResponse(200, toUserView(await getTenantUser(params))),
});
