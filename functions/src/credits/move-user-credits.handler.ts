import { moveCreditsSchema, tenantUserParamsSchema } from '@creditgate/shared';
import { runIdempotent } from '../idempotency/idempotent-request';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { moveUserCredits, readMoveBalances } from './credits.service';

export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants/{tenantId}/users/{userId}/credits',
  params: tenantUserParamsSchema,
  body: moveCreditsSchema,
  handle: async ({ caller, params, body, event }) =>
    runIdempotent({
      event,
      scope: { tenantId: params.tenantId, operation: 'move-credits', callerId: caller.userId },
      request: { params, body },
      run: async (idempotency) =>
        jsonResponse(
          200,
          await moveUserCredits({ ...params, actor: caller, input: body, idempotency }),
        ),
      // Balances after the move were not stored, so the rebuilt answer shows current ones.
      replay: async () => ({ statusCode: 200, body: await readMoveBalances(params) }),
    }),
});
