import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag AWS Solutions finding on `scope` and the constructs below it. The
 * id names one rule, or one finding of a rule such as `AwsSolutions-IAM5[Resource::*]`.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  if (!id.startsWith('AwsSolutions-')) {
    throw new Error(`Not an AWS Solutions rule id: ${id}`);
  }
  if (reason.trim().length < 20) {
    throw new Error(`The acknowledgement of ${id} needs a reason, got "${reason}"`);
  }
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges the wildcard-permission finding (IAM5) for one policy resource on the roles
 * and policies under `scope`. `resource` is the value as the policy statement has it, token
 * or literal; cdk-nag names the finding after its flattened CloudFormation form, such as
 * `Resource::<DataTableTable1234.Arn>/index/*`.
 */
export function acknowledgeWildcardResource(
  scope: IConstruct,
  resource: string,
  reason: string,
): void {
  const flattened = flattenReference(Stack.of(scope).resolve(resource));
  if (!flattened.includes('*')) {
    throw new Error(`${flattened} has no wildcard, so there is no finding to acknowledge`);
  }
  acknowledgeFinding(scope, `AwsSolutions-IAM5[Resource::${flattened}]`, reason);
}

/** Acknowledges the wildcard-permission finding (IAM5) for one action such as `s3:List*`. */
export function acknowledgeWildcardAction(scope: IConstruct, action: string, reason: string) {
  acknowledgeFinding(scope, `AwsSolutions-IAM5[Action::${action}]`, reason);
}

/**
 * Flattens a resolved CloudFormation value as cdk-nag 3 does when it names a finding:
 * references become `<LogicalId>` or `<LogicalId.Attribute>`, and joins are concatenated.
 */
function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenReference(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node.Ref) return `<${flattenReference(node.Ref)}>`;
  return JSON.stringify(value);
}
