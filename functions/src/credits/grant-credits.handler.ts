import { grantCreditsSchema } from '@creditgate/shared';
import { tenantParamsSchema } from '../lib/http/path-params';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { grantCredits } from './credits.service';

export const handler = platformHandler({
  method: 'POST',
  path: '/v1/tenants/{tenantId}/grants',
  params: tenantParamsSchema,
  body: grantCreditsSchema,
  handle: async ({ caller, params, body }) => {
    const result = await grantCredits({ tenantId: params.tenantId, actor: caller, input: body });
    return jsonResponse(201, {
      entryId: result.entryId,
      amount: body.amount,
      poolBalance: result.poolBalance,
    });
  },
});
