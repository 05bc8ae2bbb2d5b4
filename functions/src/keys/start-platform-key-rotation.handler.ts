import { startKeyRotationSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { parseJsonBody, validate } from '../lib/http/validation';
import { startPlatformKeyRotation } from './platform-key.service';

/** "Rotate now": 202 with the new version's id, or 409 while a rotation runs. */
export const handler = platformHandler({
  method: 'POST',
  path: '/v1/platform/ai-key/rotation',
  handle: async ({ caller, event }) => {
    // The body is optional, so it is validated here instead of by `platformHandler`, which
    // requires one. This still runs after the token, caller and role checks.
    if (event.body) {
      validate(startKeyRotationSchema, parseJsonBody(event.body, event.isBase64Encoded));
    }
    return jsonResponse(202, await startPlatformKeyRotation({ actor: caller }));
  },
});
