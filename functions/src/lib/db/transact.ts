import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { logger } from '../logger';
import { getDocumentClient } from './client';
import { cancellationCodes } from './errors';

/** Attempts of a transaction that DynamoDB cancelled only for conflicts. */
const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 20;

/**
 * Sends a `TransactWriteItems` request, retrying when DynamoDB cancelled it only because
 * another transaction touched one of its items at the same time (`TransactionConflict`).
 * Such a cancellation writes nothing, so sending the same request again is safe. A
 * cancellation with any failed condition is final and goes to the caller.
 * DynamoDB Local never reports conflicts, so unit tests cover this with mocks.
 */
export async function transactWrite(input: TransactWriteCommandInput): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await getDocumentClient().send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      const codes = cancellationCodes(error);
      const isConflictOnly =
        codes?.includes('TransactionConflict') === true &&
        codes.every((code) => code === 'None' || code === 'TransactionConflict');
      if (!isConflictOnly || attempt === MAX_ATTEMPTS) throw error;
      // Full jitter keeps retrying writers from colliding again in lockstep.
      const delay = Math.random() * BASE_DELAY_MS * 2 ** (attempt - 1);
      logger.info('Transaction conflicted; retrying', { attempt, delay_ms: Math.round(delay) });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
