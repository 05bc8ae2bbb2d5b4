import { batchInviteSchema, inviteUserSchema, tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { inviteUsers } from './users.service';

/**
 * Bulk invitation of up to 100 users. Each row is validated on its own and answered with its
 * own result, so one bad row does not reject the batch.
 */
export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants/{tenantId}/users/batch',
  params: tenantParamsSchema,
  body: batchInviteSchema,
  handle: async ({ caller, params, body }) => {
    const rows = body.users.map((row) => {
      const parsed = inviteUserSchema.safeParse(row);
      if (parsed.success) return { email: parsed.data.email, role: parsed.data.role };
      const email =
        typeof (row as { email?: unknown })?.email === 'string'
          ? String((row as { email: string }).email)
          : '';
      const problem = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`)
        .join('; ');
      return { email, role: undefined, problem };
    });
    const results = await inviteUsers({ tenantId: params.tenantId, actor: caller, rows });
    return jsonResponse(200, { results });
  },
});
