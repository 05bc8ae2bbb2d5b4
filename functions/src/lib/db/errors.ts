import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** True when a single-item write failed its condition expression. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Returns the cancellation reason codes of a cancelled transaction, one per item in
 * request order (`None` for items that passed), or undefined for any other error.
 */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (
    !(error instanceof TransactionCanceledException) &&
    (error as Error)?.name !== 'TransactionCanceledException'
  ) {
    return undefined;
  }
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code ?? 'None');
}

/** Returns the old item values that a cancelled transaction reports for item `index`. */
export function cancellationItem(
  error: unknown,
  index: number,
): Record<string, unknown> | undefined {
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  const item = reasons[index]?.Item;
  return item ? unmarshall(item) : undefined;
}

/** True when a transaction was cancelled because another request changed one of its items. */
export function isTransactionConflict(error: unknown): boolean {
  return cancellationCodes(error)?.includes('TransactionConflict') ?? false;
}
