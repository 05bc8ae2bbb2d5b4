import { inviteUserSchema, tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { toUserView } from './user.model';
import { inviteUser } from './users.service';

export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants/{tenantId}/users',
  params: tenantParamsSchema,
  body: inviteUserSchema,
  handle: async ({ caller, params, body }) =>
    jsonResponse(
      201,
      toUserView(await inviteUser({ tenantId: params.tenantId, actor: caller, input: body })),
    ),
});
