import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getPriceTable } from './prices.repository';

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/platform/prices',
  handle: async () => jsonResponse(200, await getPriceTable()),
});
