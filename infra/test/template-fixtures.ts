import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CreditgateStack } from '../src/creditgate-stack';

/** Context of a production deployment with every optional setting given. */
export const PROD_CONTEXT = {
  stage: 'prod',
  mailFrom: 'no-reply@mail.example.com',
  sesIdentityArn: 'arn:aws:ses:us-east-1:123456789012:identity/mail.example.com',
  domainName: 'app.example.com',
  certificateArn:
    'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
  waf: 'true',
  alarmEmail: 'ops@example.com',
} as const;

/** Writes a small SPA build as Vite lays it out: `index.html` and hashed files under `assets/`. */
export function createWebBuild(): string {
  const dist = mkdtempSync(join(tmpdir(), 'creditgate-web-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><script src="/assets/index-abc123.js"></script>',
  );
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("app");');
  return dist;
}

/**
 * Synthesizes the stack without bundling, so no handler is built. `Template.fromStack`
 * also fails when resources form a dependency cycle, which CloudFormation would reject.
 */
export function synthesizeStack(
  context: Record<string, unknown>,
  webDistPath: string,
): { template: Template; stack: CreditgateStack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new CreditgateStack(app, 'Test', { webDistPath });
  return { template: Template.fromStack(stack), stack };
}
