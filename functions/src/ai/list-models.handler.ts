import { AppError } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getCallContext } from './call-context';

/** `GET /v1/models`: the plan's models in OpenAI's list shape. */
export const handler = platformHandler({
  method: 'GET',
  path: '/v1/models',
  handle: async ({ caller }) => {
    const context = await getCallContext(caller.tenantId);
    if (!context) throw new AppError('NOT_FOUND', 'Tenant not found');
    const created = Math.floor(Date.parse(context.plan.createdAt) / 1000);
    return jsonResponse(200, {
      object: 'list',
      data: context.plan.models.map((id) => ({
        id,
        object: 'model',
        created,
        owned_by: 'creditgate',
      })),
    });
  },
});
