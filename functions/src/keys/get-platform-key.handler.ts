import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getPlatformKeyStatus } from './platform-key.service';

/** Status and rotation of the platform key, never any part of the key. */
export const handler = platformHandler({
  method: 'GET',
  path: '/v1/platform/ai-key',
  handle: async () => jsonResponse(200, await getPlatformKeyStatus()),
});
