import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig, requireEnv } from '../env';
import { traced } from '../observability';

let documentClient: DynamoDBDocumentClient | undefined;

/** Returns the shared document client, created on first use so tests can set the env first. */
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
