import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import {
  CreditgateFunction,
  TABLE_KEY_READ_ACTIONS,
  TABLE_KEY_WRITE_ACTIONS,
  type TableAccess,
} from './creditgate-function';

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

  describe('with a customer-managed table key', () => {
    /** Returns the KMS actions the function's role gets for `tableAccess`. */
    function keyActionsFor(tableAccess: TableAccess): string[] {
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      const stack = new Stack(app, 'Test', {
        env: { region: 'us-east-1', account: '123456789012' },
      });
      const table = new TableV2(stack, 'Table', {
        partitionKey: { name: 'pk', type: AttributeType.STRING },
        encryption: TableEncryptionV2.customerManagedKey(new Key(stack, 'Key')),
      });
      new CreditgateFunction(stack, 'Function', { handler: 'me/get-me', table, tableAccess });
      const statements = Object.values(
        Template.fromStack(stack).findResources('AWS::IAM::Policy'),
      ).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
      return statements
        .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat())
        .filter((action: string) => action.startsWith('kms:'))
        .sort();
    }

    it('lets a reader decrypt only', () => {
      expect(keyActionsFor('read')).toEqual([...TABLE_KEY_READ_ACTIONS].sort());
      expect(keyActionsFor({ actions: ['dynamodb:Query'] })).toEqual(
        [...TABLE_KEY_READ_ACTIONS].sort(),
      );
    });

    it('lets a writer encrypt without wildcard actions', () => {
      const expected = [...TABLE_KEY_READ_ACTIONS, ...TABLE_KEY_WRITE_ACTIONS].sort();

      expect(keyActionsFor('read-write')).toEqual(expected);
      expect(keyActionsFor({ actions: ['dynamodb:UpdateItem'] })).toEqual(expected);
      for (const action of expected) expect(action).not.toContain('*');
    });

    it('gives the role no managed policy', () => {
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      const stack = new Stack(app, 'Test');
      const table = new TableV2(stack, 'Table', {
        partitionKey: { name: 'pk', type: AttributeType.STRING },
      });
      new CreditgateFunction(stack, 'Function', {
        handler: 'me/get-me',
        table,
        tableAccess: 'read',
      });

      for (const role of Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });
});
