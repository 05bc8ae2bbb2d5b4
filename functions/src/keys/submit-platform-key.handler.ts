import { submitPlatformKeySchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { submitPlatformKey } from './platform-key.service';

/**
 * Stores a SuperAdmin's key and starts the rotation that tests it; 202 with the rotation's
 * version id. The key is neither logged nor returned.
 */
export const handler = platformHandler({
  method: 'PUT',
  path: '/v1/platform/ai-key',
  body: submitPlatformKeySchema,
  handle: async ({ caller, body }) =>
    jsonResponse(202, await submitPlatformKey({ actor: caller, apiKey: body.apiKey })),
});
