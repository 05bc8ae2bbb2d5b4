import { App } from 'aws-cdk-lib';
import { CreditgateStack } from '../src/creditgate-stack';

const app = new App();
new CreditgateStack(app, 'Creditgate', {
  description: 'Creditgate: multi-tenant AI usage platform',
});
