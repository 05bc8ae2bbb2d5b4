import type { AlertSettingsInput } from '@creditgate/shared';

/**
 * A tenant's low-balance alerts, kept on the tenant record so AI calls get them with the
 * plan from the call context's cache, without a read of their own.
 */
export interface AlertSettings extends AlertSettingsInput {
  updatedAt: string | null;
}

export const ALERTS_OFF: AlertSettings = {
  poolThreshold: null,
  userThreshold: null,
  updatedAt: null,
};
