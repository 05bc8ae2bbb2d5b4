import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { unitTestEnv } from '../../../test/factories';
import { transactWrite } from './transact';

const ddbMock = mockClient(DynamoDBDocumentClient);
const input = {
  TransactItems: [
    {
      ConditionCheck: {
        TableName: 't',
        Key: { pk: 'a', sk: 'b' },
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
  ],
};

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

describe('transactWrite', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(unitTestEnv)) vi.stubEnv(name, value);
    ddbMock.reset();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('retries a conflict and succeeds', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .resolves({});

    await transactWrite(input);

    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('gives up after four conflicts', async () => {
    ddbMock.on(TransactWriteCommand).rejects(cancelled('TransactionConflict'));

    await expect(transactWrite(input)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });

  it('does not retry a failed condition', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(cancelled('ConditionalCheckFailed', 'TransactionConflict'));

    await expect(transactWrite(input)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('does not retry other errors', async () => {
    const throttled = new Error('Rate exceeded');
    throttled.name = 'ThrottlingException';
    ddbMock.on(TransactWriteCommand).rejects(throttled);

    await expect(transactWrite(input)).rejects.toThrow('Rate exceeded');
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
