import { AppError } from '@creditgate/shared';

/**
 * The list a cursor belongs to: a partition key value, the sort key prefix of the list's
 * items, and whether the list reads gsi1. Several lists share a tenant's partition (users,
 * ledger, audit), so the prefix is part of the scope.
 */
export interface ListScope {
  partition: string;
  sortKeyPrefix: string;
  index?: 'gsi1';
}

/**
 * List cursors are opaque to clients: base64url JSON of DynamoDB's `LastEvaluatedKey` and
 * the list it came from. A cursor used on another list (another tenant's, another user's,
 * or another kind of item in the same partition) is rejected with 400, so a cursor never
 * reaches data the list itself could not.
 */
export function encodeCursor(
  scope: ListScope | string,
  lastKey: Record<string, unknown> | undefined,
): string | null {
  if (!lastKey) return null;
  return Buffer.from(JSON.stringify({ p: scopeId(toScope(scope)), k: lastKey })).toString(
    'base64url',
  );
}

export function decodeCursor(
  scope: ListScope | string,
  cursor: string | undefined,
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const list = toScope(scope);
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
  if (p !== scopeId(list) || typeof k !== 'object' || k === null) throw invalid;
  const values = Object.values(k as Record<string, unknown>);
  if (values.length > 4 || values.some((value) => typeof value !== 'string')) throw invalid;

  // The start key must lie inside the list being read, or DynamoDB rejects the query.
  const key = k as Record<string, string>;
  const [partitionAttribute, sortAttribute] = listAttributes(list, key);
  if (key[partitionAttribute] !== list.partition) throw invalid;
  if (!key[sortAttribute]?.startsWith(list.sortKeyPrefix)) throw invalid;
  return key;
}

function toScope(scope: ListScope | string): ListScope {
  return typeof scope === 'string' ? { partition: scope, sortKeyPrefix: '' } : scope;
}

function scopeId(scope: ListScope): string {
  return scope.sortKeyPrefix === '' ? scope.partition : `${scope.partition}|${scope.sortKeyPrefix}`;
}

/** Returns the key attributes a list is read by; a bare partition accepts either table or gsi1. */
function listAttributes(scope: ListScope, key: Record<string, string>): [string, string] {
  if (scope.index === 'gsi1') return ['gsi1pk', 'gsi1sk'];
  if (scope.sortKeyPrefix === '' && key.pk !== scope.partition) return ['gsi1pk', 'gsi1sk'];
  return ['pk', 'sk'];
}
