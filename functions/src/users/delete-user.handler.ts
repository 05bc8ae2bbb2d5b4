import { tenantUserParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { noContentResponse } from '../lib/http/response';
import { deleteUser } from './users.service';

/** Deletes a member; for a user who never signed in, this revokes the invitation. */
export const handler = platformHandler({
  method: 'DELETE',
  path: '/v1/tenants/{tenantId}/users/{userId}',
  params: tenantUserParamsSchema,
  handle: async ({ caller, params }) => {
    await deleteUser({ ...params, actor: caller });
    return noContentResponse();
  },
});
