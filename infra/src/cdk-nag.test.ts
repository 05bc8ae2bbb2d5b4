import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CreditgateStack } from './creditgate-stack';

/** Lists the unacknowledged AWS Solutions findings of the stack built from `context`. */
function findingsFor(context: Record<string, unknown>): string[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new CreditgateStack(app, 'Nag', { webDistPath: '/nonexistent-web-dist' });
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} ${resource.constructPath ?? resource.resourceLogicalId}`,
    ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in dev', () => {
    expect(findingsFor({})).toEqual([]);
  });
});
