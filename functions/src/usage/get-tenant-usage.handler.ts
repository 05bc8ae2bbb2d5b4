import { tenantParamsSchema, usageQuerySchema, validationError } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getTenantUsage } from './usage.service';

/** Most days one usage request may cover. */
const MAX_DAYS = 92;

/** A tenant's usage by day, user and model, with burn rates and projected run-out days. */
export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}/usage',
  params: tenantParamsSchema,
  query: usageQuerySchema,
  handle: async ({ params, query }) => {
    const today = new Date().toISOString().slice(0, 10);
    const to = query.to ?? today;
    const from =
      query.from ??
      new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days < 1) throw validationError([{ field: 'from', message: 'must not be after to' }]);
    if (days > MAX_DAYS)
      throw validationError([
        { field: 'from', message: `must be at most ${MAX_DAYS} days before to` },
      ]);
    return jsonResponse(200, await getTenantUsage({ tenantId: params.tenantId, from, to, today }));
  },
});
