import { listQuerySchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { listMyApiTokens } from './api-tokens.service';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/me/api-tokens',
  query: listQuerySchema,
  handle: async ({ caller, query }) =>
    jsonResponse(200, await listMyApiTokens({ caller, ...query })),
});
