import { createApiTokenSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { issueApiToken } from './api-tokens.service';

/** Creates a personal API token; the response is the only time the token is shown. */
export const handler = platformHandler({
  method: 'POST',
  path: '/v1/me/api-tokens',
  body: createApiTokenSchema,
  handle: async ({ caller, body }) => jsonResponse(201, await issueApiToken({ caller, ...body })),
});
