import { grantCreditsSchema, tenantParamsSchema } from '@creditgate/shared';
import { runIdempotent } from '../idempotency/idempotent-request';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { grantCredits } from './credits.service';

export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants/{tenantId}/grants',
  params: tenantParamsSchema,
  body: grantCreditsSchema,
  handle: async ({ caller, params, body, event }) =>
    runIdempotent({
      event,
      scope: { tenantId: params.tenantId, operation: 'grant', callerId: caller.userId },
      request: { params, body },
      run: async (idempotency) => {
        const input = { tenantId: params.tenantId, actor: caller, input: body, idempotency };
        const { entryId, poolBalance } = await grantCredits(input);
        return jsonResponse(201, { entryId, amount: body.amount, poolBalance });
      },
      // The completion result holds the whole answer of a grant.
      replay: async (result) => ({ statusCode: 201, body: result }),
    }),
});
