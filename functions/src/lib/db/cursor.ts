import { AppError } from '@creditgate/shared';

/**
 * List cursors are opaque to clients: base64url JSON of DynamoDB's `LastEvaluatedKey` and
 * the partition it came from. A cursor used on another partition (another tenant, another
 * user) is rejected, so a cursor never reaches data the list itself could not.
 */
export function encodeCursor(
  partition: string,
  lastKey: Record<string, unknown> | undefined,
): string | null {
  if (!lastKey) return null;
  return Buffer.from(JSON.stringify({ p: partition, k: lastKey })).toString('base64url');
}

export function decodeCursor(
  partition: string,
  cursor: string | undefined,
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const invalid = new AppError(
    'VALIDATION_FAILED',
    'cursor: is invalid or belongs to another list',
    {
      details: { fields: [{ field: 'cursor', message: 'is invalid or belongs to another list' }] },
    },
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid;
  const { p, k } = parsed as { p?: unknown; k?: unknown };
  if (p !== partition || typeof k !== 'object' || k === null) throw invalid;
  const values = Object.values(k as Record<string, unknown>);
  if (values.length > 4 || values.some((value) => typeof value !== 'string')) throw invalid;
  // The start key must lie in the partition being listed (base table or gsi1).
  const key = k as Record<string, string>;
  if (key.pk !== partition && key.gsi1pk !== partition) throw invalid;
  return key;
}
