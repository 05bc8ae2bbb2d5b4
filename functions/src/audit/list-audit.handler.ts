import { auditQuerySchema } from '@creditgate/shared';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import { listAllAudit } from './audit.repository';

/** The audit log of every tenant and of the platform itself, for SuperAdmins. */
export const handler = platformHandler({
  method: 'GET',
  path: '/v1/audit',
  query: auditQuerySchema,
  handle: async ({ query }) => jsonResponse(200, await listAllAudit(query)),
});
