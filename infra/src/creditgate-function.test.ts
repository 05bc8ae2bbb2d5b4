import { App, Stack } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { CreditgateFunction } from './creditgate-function';

function createTestStack() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const table = new TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
  });
  return { stack, table };
}

describe('CreditgateFunction', () => {
  it('rejects CREDITGATE_LOCAL', () => {
    const { stack, table } = createTestStack();

    expect(
      () =>
        new CreditgateFunction(stack, 'Function', {
          handler: 'me/get-me',
          table,
          tableAccess: 'read',
          environment: { CREDITGATE_LOCAL: '1' },
        }),
    ).toThrow(/CREDITGATE_LOCAL must not be set/);
  });

  it('rejects a missing handler module', () => {
    const { stack, table } = createTestStack();

    expect(
      () =>
        new CreditgateFunction(stack, 'Function', {
          handler: 'me/no-such-handler',
          table,
          tableAccess: 'read',
        }),
    ).toThrow(/Handler module not found for me\/no-such-handler/);
  });

  it('rejects wildcard table actions', () => {
    for (const actions of [['dynamodb:*'], ['*'], []]) {
      const { stack, table } = createTestStack();

      expect(
        () =>
          new CreditgateFunction(stack, 'Function', {
            handler: 'me/get-me',
            table,
            tableAccess: { actions },
          }),
        JSON.stringify(actions),
      ).toThrow(/tableAccess.actions must list DynamoDB actions/);
    }
  });
});
