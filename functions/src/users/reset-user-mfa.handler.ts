import { tenantUserParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { noContentResponse } from '../lib/http/response';
import { resetUserMfa } from './users.service';

/** Turns off a member's authenticator app, for a member who lost it. */
export const handler = platformHandler({
  method: 'DELETE',
  path: '/v1/tenants/{tenantId}/users/{userId}/mfa',
  params: tenantUserParamsSchema,
  handle: async ({ caller, params }) => {
    await resetUserMfa({ ...params, actor: caller });
    return noContentResponse();
  },
});
