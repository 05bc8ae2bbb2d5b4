import { tenantLedgerQuerySchema, tenantParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getExistingTenant } from '../tenants/tenants.service';
import { toLedgerView } from './ledger.model';
import { listRequestLedger, listTenantLedger, listUserLedger } from './ledger.repository';

/**
 * A tenant's ledger, newest first. `userId` reads that user's index, `requestId` the
 * entries of one AI call, and `type` keeps one entry type.
 */
export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}/ledger',
  params: tenantParamsSchema,
  query: tenantLedgerQuerySchema,
  handle: async ({ params, query }) => {
    await getExistingTenant(params.tenantId);
    const keepType = <T extends { type: string }>(items: T[]) =>
      query.type ? items.filter((entry) => entry.type === query.type) : items;
    if (query.requestId) {
      const entries = await listRequestLedger(params.tenantId, query.userId, query.requestId);
      return jsonResponse(200, { items: keepType(entries).map(toLedgerView), nextCursor: null });
    }
    const page = query.userId
      ? await listUserLedger(params.tenantId, query.userId, query)
      : await listTenantLedger(params.tenantId, query);
    return jsonResponse(200, {
      items: keepType(page.items).map(toLedgerView),
      nextCursor: page.nextCursor,
    });
  },
});
