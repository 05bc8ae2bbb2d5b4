import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getTenantUser } from '../users/users.service';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/me',
  handle: async ({ caller }) => {
    const user = await getTenantUser({ tenantId: caller.tenantId, userId: caller.userId });
    return jsonResponse(200, {
      userId: user.userId,
      email: user.email,
      tenantId: user.tenantId,
      role: user.role,
      status: user.status,
      balance: user.balance,
      held: user.held,
      spent: user.spent,
    });
  },
});
