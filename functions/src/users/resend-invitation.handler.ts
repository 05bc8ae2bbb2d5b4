import { tenantUserParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toUserView } from './user.model';
import { resendInvitation } from './users.service';

export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants/{tenantId}/users/{userId}/invitation',
  params: tenantUserParamsSchema,
  handle: async ({ caller, params }) =>
    jsonResponse(200, toUserView(await resendInvitation({ ...params, actor: caller }))),
});
