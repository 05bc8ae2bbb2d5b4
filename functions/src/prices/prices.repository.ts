import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { defaultPriceTable, type PriceTable } from '@creditgate/shared';
import type { AuditEntry } from '../audit/audit.model';
import { auditPut } from '../audit/audit.repository';
import { getDocumentClient, getTableName } from '../lib/db/client';
import { keys } from '../lib/db/keys';
import { transactWrite } from '../lib/db/transact';

/**
 * The platform price table. A change takes effect at `effectiveAt`; calls that start before
 * it use `previousPrices`, so every function instance applies the change at the same moment
 * whatever its cache holds.
 */
export interface PriceTableRecord {
  prices: PriceTable;
  previousPrices: PriceTable | null;
  effectiveAt: string | null;
  updatedAt: string | null;
}

/** Reads the platform price table; before any edit it is the default table. */
export async function getPriceTable(): Promise<PriceTableRecord> {
  const result = await getDocumentClient().send(
    new GetCommand({ TableName: getTableName(), Key: keys.prices(), ConsistentRead: true }),
  );
  if (!result.Item)
    return { prices: defaultPriceTable, previousPrices: null, effectiveAt: null, updatedAt: null };
  return {
    prices: result.Item.prices as PriceTable,
    previousPrices: (result.Item.previousPrices as PriceTable | undefined) ?? null,
    effectiveAt: (result.Item.effectiveAt as string | undefined) ?? null,
    updatedAt: (result.Item.updatedAt as string | undefined) ?? null,
  };
}

/** Returns the prices that apply to a call that started at `startedAt` (epoch ms). */
export function pricesAt(table: PriceTableRecord, startedAt: number): PriceTable {
  if (table.effectiveAt && table.previousPrices && startedAt < Date.parse(table.effectiveAt)) {
    return table.previousPrices;
  }
  return table.prices;
}

/** Writes a new price table with its audit entry. */
export async function putPriceTable(record: PriceTableRecord, audit: AuditEntry): Promise<void> {
  await transactWrite({
    TransactItems: [
      {
        Put: {
          TableName: getTableName(),
          Item: { ...keys.prices(), entityType: 'PriceTable', ...record },
        },
      },
      auditPut(audit),
    ],
  });
}
