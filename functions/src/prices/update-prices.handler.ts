import { updatePricesSchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { replacePrices } from './prices.service';

export const handler = platformHandler({
  method: 'PUT',
  path: '/v1/platform/prices',
  body: updatePricesSchema,
  handle: async ({ caller, body }) =>
    jsonResponse(200, await replacePrices({ actor: caller, prices: body.prices })),
});
