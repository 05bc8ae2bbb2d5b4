import { z } from 'zod';
import { openAiApiKeySchema } from './platform-key';

/** Body of `PUT /v1/tenants/{tenantId}/ai-key`: the tenant's own OpenAI key. */
export const setTenantKeySchema = z.strictObject({ apiKey: openAiApiKeySchema });
export type SetTenantKeyInput = z.infer<typeof setTenantKeySchema>;

/** The key that serves a tenant's AI calls. */
export type KeySource = 'platform' | 'tenant';

/**
 * Body of `GET`, `PUT` and `DELETE /v1/tenants/{tenantId}/ai-key`. It never contains any part
 * of the key. `status` is `Inactive` when the tenant's own key failed upstream.
 */
export interface TenantKeyView {
  source: KeySource;
  status: 'Active' | 'Inactive';
}

/** Returns the name of the Secrets Manager secret that contains a tenant's own key. */
export function tenantKeySecretName(tenantId: string): string {
  return `creditgate/tenants/${tenantId}/openai`;
}
