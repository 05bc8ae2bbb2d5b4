import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig, requireEnv } from '../env';
import { traced } from '../observability';

let documentClient: DynamoDBDocumentClient | undefined;

/**
 * Returns the shared document client, created on first use so tests can set the env first.
 * Leave the SDK's `cacheMiddleware` option off. With it, a lib-dynamodb command resolved
 * from the cache sends the input of the first command of its class again (seen in
 * the source of @aws-sdk/lib-dynamodb 3.1178).
 */
export function getDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(
    traced(new DynamoDBClient(awsClientConfig('DYNAMODB_ENDPOINT'))),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  return documentClient;
}

export function getTableName(): string {
  return requireEnv('TABLE_NAME');
}
