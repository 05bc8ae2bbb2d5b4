import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_CREDENTIALS } from './stack/bootstrap';
import type { StackInfo } from './stack/stack';

/**
 * `npm run ledger:verify`: signs in as the local SuperAdmin and runs the ledger verification
 * of every tenant (or one) on the running local stack. Prints one line per tenant and exits
 * with 1 when any tenant's records disagree with its ledger or its invariant.
 */
const { values } = parseArgs({
  options: {
    'state-dir': { type: 'string', default: '.local' },
    tenant: { type: 'string' },
  },
});

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const stackFile = join(resolve(values['state-dir'] ?? '.local'), 'stack.json');
let info: StackInfo;
try {
  info = JSON.parse(await readFile(stackFile, 'utf8')) as StackInfo;
} catch {
  console.error(`No running stack found: ${stackFile} is missing. Start one with npm run dev.`);
  process.exit(1);
}
for (const url of [info.apiUrl, info.cognitoEndpoint]) {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) {
    console.error(`Refusing a stack that is not on loopback: ${url}`);
    process.exit(1);
  }
}

const cognito = new CognitoIdentityProviderClient({
  region: info.region,
  endpoint: info.cognitoEndpoint,
  credentials: LOCAL_CREDENTIALS,
});
const signIn = await cognito.send(
  new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: info.userPoolClientId,
    AuthParameters: { USERNAME: info.superAdmin.email, PASSWORD: info.superAdmin.password },
  }),
);
cognito.destroy();

const response = await fetch(`${info.apiUrl}/v1/platform/ledger-verification`, {
  method: 'POST',
  headers: {
    authorization: `Bearer ${signIn.AuthenticationResult?.IdToken}`,
    'content-type': 'application/json',
  },
  body: JSON.stringify(values.tenant ? { tenantId: values.tenant } : {}),
});
const report = (await response.json()) as {
  tenants?: { tenantId: string; ok: boolean; problems: { message: string }[] }[];
  error?: { message: string };
};
if (!response.ok || !report.tenants) {
  console.error(
    `Ledger verification failed: ${report.error?.message ?? `HTTP ${response.status}`}`,
  );
  process.exit(1);
}
for (const tenant of report.tenants) {
  console.log(`${tenant.ok ? 'ok  ' : 'FAIL'} ${tenant.tenantId}`);
  for (const problem of tenant.problems) console.log(`     ${problem.message}`);
}
const failing = report.tenants.filter((tenant) => !tenant.ok).length;
console.log(`${report.tenants.length} tenants checked, ${failing} with problems`);
process.exit(failing > 0 ? 1 : 0);
