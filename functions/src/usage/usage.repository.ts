import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { keys, tenantPartition } from '../lib/db/keys';

/** One user's usage of one model on one UTC day. */
export interface DailyUsage {
  day: string;
  userId: string;
  model: string;
  calls: number;
  cost: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * Reads a tenant's daily usage items from `fromDay` to `toDay` (inclusive, `yyyy-mm-dd`):
 * one key-range query, reading one item per user, day and model used.
 */
export async function listDailyUsage(
  tenantId: string,
  fromDay: string,
  toDay: string,
): Promise<DailyUsage[]> {
  const items: DailyUsage[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await getDocumentClient().send(
      new QueryCommand({
        TableName: getTableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': tenantPartition(tenantId),
          ':from': `${keys.dailyUsagePrefix}${fromDay}`,
          // `~` sorts after every character of user ids and model names.
          ':to': `${keys.dailyUsagePrefix}${toDay}#~`,
        },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of result.Items ?? []) {
      items.push({
        day: String(item.day),
        userId: String(item.userId),
        model: String(item.model),
        calls: Number(item.calls ?? 0),
        cost: Number(item.cost ?? 0),
        promptTokens: Number(item.promptTokens ?? 0),
        completionTokens: Number(item.completionTokens ?? 0),
      });
    }
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return items;
}
