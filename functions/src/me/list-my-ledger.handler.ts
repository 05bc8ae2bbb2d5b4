import { ledgerQuerySchema } from '@creditgate/shared';
import { toLedgerView } from '../credits/ledger.model';
import { listRequestLedger, listUserLedger } from '../credits/ledger.repository';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/me/ledger',
  query: ledgerQuerySchema,
  handle: async ({ caller, query }) => {
    if (query.requestId) {
      const entries = await listRequestLedger(caller.tenantId, caller.userId, query.requestId);
      return jsonResponse(200, { items: entries.map(toLedgerView), nextCursor: null });
    }
    const page = await listUserLedger(caller.tenantId, caller.userId, query);
    return jsonResponse(200, { items: page.items.map(toLedgerView), nextCursor: page.nextCursor });
  },
});
