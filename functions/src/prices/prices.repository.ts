import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { defaultPriceTable, type PriceTable } from '@creditgate/shared';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { keys } from '../lib/db/keys';

/** Reads the platform price table; before any edit it is the default table. */
export async function getPriceTable(): Promise<{ prices: PriceTable; updatedAt: string | null }> {
  const result = await getDocumentClient().send(
    new GetCommand({ TableName: getTableName(), Key: keys.prices() }),
  );
  if (!result.Item) return { prices: defaultPriceTable, updatedAt: null };
  return { prices: result.Item.prices as PriceTable, updatedAt: result.Item.updatedAt as string };
}

export async function putPriceTable(prices: PriceTable, now: string): Promise<void> {
  await getDocumentClient().send(
    new PutCommand({
      TableName: getTableName(),
      Item: { ...keys.prices(), entityType: 'PriceTable', prices, updatedAt: now },
    }),
  );
}
