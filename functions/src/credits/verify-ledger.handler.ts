import { ledgerVerificationSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { parseJsonBody, validate } from '../lib/http/validation';
import { verifyLedger } from './ledger-verification.service';

/** Checks the credit invariant and the open holds of one tenant or of all; writes nothing. */
export const handler = platformHandler({
  method: 'POST',
  path: '/v1/platform/ledger-verification',
  handle: async ({ event }) => {
    // The body is optional, so it is validated here instead of by `platformHandler`, which
    // requires one. This still runs after the token, caller and role checks.
    const input = event.body
      ? validate(ledgerVerificationSchema, parseJsonBody(event.body, event.isBase64Encoded))
      : {};
    return jsonResponse(200, await verifyLedger(input));
  },
});
