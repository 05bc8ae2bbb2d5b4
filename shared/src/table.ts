/** Physical layout of the single DynamoDB table, read by CDK and the local bootstrap. */
export const tableLayout = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  /** TTL attribute, set only on items that may vanish (never on holds or balances). */
  timeToLiveAttribute: 'expiresAt',
} as const;

/** Name of the secret that contains the platform's upstream API key as `{"apiKey": "..."}`. */
export const PLATFORM_KEY_SECRET_NAME = 'creditgate/platform/openai';

/**
 * Name of the secret that contains the OpenAI Admin API key as `{"adminKey": "sk-admin-..."}`.
 * Only the rotation function and the job that revokes old platform keys read it.
 */
export const PLATFORM_ADMIN_KEY_SECRET_NAME = 'creditgate/platform/openai-admin';

/** Cognito custom attributes without the `custom:` prefix, as a user pool schema names them. */
export const customAttributes = {
  tenantId: { name: 'tenantId', isMutable: false },
  role: { name: 'role', isMutable: true },
} as const;
