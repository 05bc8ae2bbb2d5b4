import { listQuerySchema } from '@creditgate/shared';
import { tenantParamsSchema } from '../lib/http/path-params';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getExistingTenant } from '../tenants/tenants.service';
import { toLedgerView } from './ledger.model';
import { listTenantLedger } from './ledger.repository';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/tenants/{tenantId}/ledger',
  params: tenantParamsSchema,
  query: listQuerySchema,
  handle: async ({ params, query }) => {
    await getExistingTenant(params.tenantId);
    const page = await listTenantLedger(params.tenantId, query);
    return jsonResponse(200, { items: page.items.map(toLedgerView), nextCursor: page.nextCursor });
  },
});
