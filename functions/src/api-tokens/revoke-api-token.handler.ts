import { apiTokenParamsSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { noContentResponse } from '../lib/http/response';
import { revokeMyApiToken } from './api-tokens.service';

/** Revokes one of the caller's tokens; it fails on its next use. */
export const handler = platformHandler({
  method: 'DELETE',
  path: '/v1/me/api-tokens/{tokenId}',
  params: apiTokenParamsSchema,
  handle: async ({ caller, params }) => {
    await revokeMyApiToken({ caller, tokenId: params.tokenId });
    return noContentResponse();
  },
});
