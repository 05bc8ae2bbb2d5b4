import { platformOverviewQuerySchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { getPlatformOverview } from './platform-overview.service';

/** Days the overview covers when the query names none. */
const DEFAULT_DAYS = 30;

export const handler = platformHandler({
  method: 'GET',
  path: '/v1/platform/overview',
  query: platformOverviewQuerySchema,
  handle: async ({ query }) =>
    jsonResponse(
      200,
      await getPlatformOverview({
        days: query.days ?? DEFAULT_DAYS,
        today: new Date().toISOString().slice(0, 10),
      }),
    ),
});
