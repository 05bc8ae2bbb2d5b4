import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CreditgateStack } from '../src/creditgate-stack';
import { readStageConfig } from '../src/stage-config';

const app = new App();
// Every AWS Solutions finding fails synthesis unless the construct acknowledges it with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

const config = readStageConfig(app.node);
new CreditgateStack(app, `Creditgate-${config.stage}`, {
  config,
  description: `Creditgate (${config.stage}): multi-tenant AI usage platform`,
});
