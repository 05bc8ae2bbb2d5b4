import { tenantUserParamsSchema, updateUserSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toUserView } from './user.model';
import { updateUser } from './users.service';

export const handler = platformHandler({
  method: 'PATCH',
  path: '/v1/tenants/{tenantId}/users/{userId}',
  params: tenantUserParamsSchema,
  body: updateUserSchema,
  handle: async ({ caller, params, body }) =>
    jsonResponse(200, toUserView(await updateUser({ ...params, actor: caller, input: body }))),
});
