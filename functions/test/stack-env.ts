import { vi } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../infra/local/stack/bootstrap';
import type { StackInfo } from '../../infra/local/stack/stack';

/**
 * Points the repositories that a test calls in its own process at the stack's DynamoDB
 * Local. Undo with `vi.unstubAllEnvs()`.
 */
export function stubRepositoryEnv(info: StackInfo): void {
  vi.stubEnv('CREDITGATE_LOCAL', '1');
  vi.stubEnv('TABLE_NAME', info.tableName);
  vi.stubEnv('DYNAMODB_ENDPOINT', info.dynamodbEndpoint);
  vi.stubEnv('AWS_REGION', info.region);
  vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
}
