import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { createWebBuild, PROD_CONTEXT } from '../test/template-fixtures';
import { CreditgateStack } from './creditgate-stack';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Lists the unacknowledged AWS Solutions findings of the stack built from `context`. */
function findingsFor(context: Record<string, unknown>, webDistPath: string): string[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new CreditgateStack(app, 'Nag', { webDistPath });
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} ${resource.constructPath ?? resource.resourceLogicalId}`,
    ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in dev', () => {
    expect(findingsFor({}, '/nonexistent-web-dist')).toEqual([]);
  });

  it('finds nothing unacknowledged in prod with every option', () => {
    expect(findingsFor(PROD_CONTEXT, createWebBuild())).toEqual([]);
  });

  it('finds nothing unacknowledged in prod without domain or WAF', () => {
    const context = {
      stage: 'prod',
      mailFrom: PROD_CONTEXT.mailFrom,
      sesIdentityArn: PROD_CONTEXT.sesIdentityArn,
    };

    expect(findingsFor(context, createWebBuild())).toEqual([]);
  });

  it('runs in the CDK app that npm run synth starts', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'creditgate-cdk-out-'));

    // The CDK CLI runs the app this way (cdk.json) and reads the template from CDK_OUTDIR.
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/bin/app.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [] }),
      },
      encoding: 'utf8',
      timeout: 120_000,
    });

    expect(result.stderr).not.toMatch(/Validation failed/);
    expect(result.status).toBe(0);
    expect(existsSync(join(outdir, 'Creditgate-dev.template.json'))).toBe(true);
  }, 150_000);
});
