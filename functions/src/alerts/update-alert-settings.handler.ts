import { alertSettingsSchema, tenantParamsSchema } from '@creditgate/shared';
import { newAuditEntry } from '../audit/audit.repository';
import { platformHandler } from '../lib/http/platform-handler';
import { jsonResponse } from '../lib/http/response';
import type { AlertSettings } from './alert-settings';
import { saveAlertSettings } from './alerts.repository';

/** Replaces a tenant's low-balance thresholds; AI calls apply them within the cache time. */
export const handler = platformHandler({
  method: 'PUT',
  path: '/v1/tenants/{tenantId}/alerts',
  params: tenantParamsSchema,
  body: alertSettingsSchema,
  handle: async ({ caller, params, body }) => {
    const settings: AlertSettings = { ...body, updatedAt: new Date().toISOString() };
    await saveAlertSettings({
      tenantId: params.tenantId,
      settings,
      audit: newAuditEntry({
        actor: caller,
        tenantId: params.tenantId,
        action: 'alerts.update',
        targetType: 'alerts',
        targetId: params.tenantId,
        details: { poolThreshold: body.poolThreshold, userThreshold: body.userThreshold },
      }),
    });
    return jsonResponse(200, settings);
  },
});
