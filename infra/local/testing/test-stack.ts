import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  BACKGROUND_RUNS_PATH,
  type InvocationResult,
  invokeLocalFunction,
} from '../gateway/invoke-client';
import { createUpstreamControl, type UpstreamControl } from '../openai-upstream/control-client';
import { LOCAL_CREDENTIALS } from '../stack/bootstrap';
import { type StackInfo, startStack } from '../stack/stack';

/** An email as the local outbox stores it. */
export interface OutboxEmail {
  to: string;
  subject: string;
  body: string;
  html?: string;
  username?: string;
  temporaryPassword?: string;
  sentAt: string;
}

/** The tokens of a signed-in user. */
export interface Session {
  idToken: string;
  accessToken: string;
  refreshToken: string | undefined;
}

/** A local stack started for one test file, with the helpers tests use against it. */
export interface TestStack {
  info: StackInfo;
  upstream: UpstreamControl;
  stop(): Promise<void>;
  signIn(email: string, password: string, newPassword?: string): Promise<Session>;
  acceptInvite(email: string, newPassword: string): Promise<Session>;
  readOutbox(to: string): Promise<OutboxEmail[]>;
  /** Sends one API request, after every chat call whose response has ended has settled. */
  api(token: string | undefined, method: string, path: string, body?: unknown): Promise<ApiResult>;
  /**
   * Runs the ledger verification of every tenant as the SuperAdmin and fails with the
   * problems found, so money tests end by proving no credit was created or destroyed.
   */
  expectLedgerConsistent(): Promise<void>;
  /**
   * Waits until no AI call is still settling after its response ended (a plain chat call
   * settles after its last byte), so balances read next are final.
   */
  waitForSettlements(): Promise<void>;
  /** Invokes a background function, such as a scheduled job, through the Lambda Invoke API. */
  invoke(functionName: string, payload?: unknown): Promise<InvocationResult>;
  /** Kills the gateway mid-call (SIGKILL) and starts it again on the same ports. */
  crashAndRestartGateway(): Promise<void>;
  /**
   * The process id of each service by name (`gateway`, `dynamodb`, `openai-upstream` and so on).
   * Each leads its own process group, with any processes it started.
   */
  processIds(): Record<string, number>;
}

export interface ApiResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever response fields they check.
  body: any;
}

/**
 * Starts a stack of its own on free ports with a temporary state folder, so test files
 * neither share state nor collide with `npm run dev`.
 */
export async function startTestStack(
  options: { handlerEnv?: Record<string, string>; isWebEnabled?: boolean } = {},
): Promise<TestStack> {
  const stateDir = await mkdtemp(join(tmpdir(), 'creditgate-test-'));
  const stack = await startStack({
    stateDir,
    isWebEnabled: options.isWebEnabled ?? false,
    isPersistent: false,
    handlerEnv: options.handlerEnv,
  });
  const { info } = stack;
  const cognito = new CognitoIdentityProviderClient({
    region: info.region,
    endpoint: info.cognitoEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });

  const signIn = async (
    email: string,
    password: string,
    newPassword?: string,
  ): Promise<Session> => {
    const started = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: info.userPoolClientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    let result = started.AuthenticationResult;
    if (started.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
      if (!newPassword) throw new Error(`${email} must set a new password`);
      const answered = await cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: info.userPoolClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: started.Session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword },
        }),
      );
      result = answered.AuthenticationResult;
    }
    if (!result?.IdToken || !result.AccessToken)
      throw new Error(`Sign-in of ${email} returned no tokens`);
    return {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      refreshToken: result.RefreshToken,
    };
  };

  const readOutbox = async (to: string): Promise<OutboxEmail[]> => {
    const files = (await readdir(info.outboxDir)).filter((file) => file.endsWith('.json')).sort();
    const emails = await Promise.all(
      files.map(
        async (file) =>
          JSON.parse(await readFile(join(info.outboxDir, file), 'utf8')) as OutboxEmail,
      ),
    );
    return emails.filter((email) => email.to === to);
  };

  const waitForSettlements = async (): Promise<void> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await fetch(`${info.lambdaEndpoint}${BACKGROUND_RUNS_PATH}`);
      const { runsAfterResponse } = (await response.json()) as { runsAfterResponse: number };
      if (runsAfterResponse === 0) return;
      if (Date.now() > deadline)
        throw new Error(`${runsAfterResponse} calls were still settling after 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  const expectLedgerConsistent = async (): Promise<void> => {
    await waitForSettlements();
    const session = await signIn(info.superAdmin.email, info.superAdmin.password);
    const response = await fetch(`${info.apiUrl}/v1/platform/ledger-verification`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.idToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const report = (await response.json()) as {
      tenants?: { tenantId: string; ok: boolean; problems: { message: string }[] }[];
    };
    if (!response.ok || !report.tenants) {
      throw new Error(
        `Ledger verification failed with HTTP ${response.status}: ${JSON.stringify(report)}`,
      );
    }
    const problems = report.tenants.flatMap((tenant) =>
      tenant.problems.map((problem) => `${tenant.tenantId}: ${problem.message}`),
    );
    if (problems.length > 0)
      throw new Error(`The ledger disagrees with the records:\n${problems.join('\n')}`);
  };

  return {
    info,
    expectLedgerConsistent,
    waitForSettlements,
    upstream: createUpstreamControl(new URL(info.openaiBaseUrl).origin),
    stop: async () => {
      cognito.destroy();
      await stack.stop();
      // Set CREDITGATE_KEEP_TEST_STATE=1 to keep logs and data for a failing test.
      if (process.env.CREDITGATE_KEEP_TEST_STATE !== '1')
        await rm(stateDir, { recursive: true, force: true });
    },
    signIn,
    readOutbox,
    invoke: (functionName, payload) =>
      invokeLocalFunction({
        lambdaEndpoint: info.lambdaEndpoint,
        functionName,
        payload,
        timeoutMs: 60_000,
      }),
    crashAndRestartGateway: () => stack.crashAndRestartGateway(),
    processIds: () =>
      Object.fromEntries(
        stack.processes.flatMap(({ name, child }) =>
          child.pid === undefined ? [] : [[name, child.pid]],
        ),
      ),
    acceptInvite: async (email, newPassword) => {
      const invite = (await readOutbox(email)).at(-1);
      if (!invite?.temporaryPassword || !invite.username)
        throw new Error(`No invitation for ${email} in the outbox`);
      return signIn(invite.username, invite.temporaryPassword, newPassword);
    },
    api: async (token, method, path, body) => {
      // Plain chat calls settle after their response ends, so waiting makes reads exact. Calls
      // still sending their response are not waited for, so a test may run requests beside them.
      await waitForSettlements();
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${info.apiUrl}${path}`, {
        method,
        headers,
        body: toRequestBody(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON: tests see the text.
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
  };
}

/** Returns a plan body that passes validation, with the given fields replaced. */
export function planInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Team',
    monthlyCredits: 100_000,
    seatLimit: 10,
    models: ['gpt-4o-mini', 'gpt-4o'],
    maxTokensPerRequest: 200,
    requestsPerMinute: 60,
    concurrentStreams: 4,
    allowOwnKey: false,
    ownKeyRatePercent: 0,
    ownKeyFallback: 'platform',
    ...overrides,
  };
}

/** Generates a password that meets the pool policy, different on each call. */
export function newPassword(): string {
  return `Pw-${Math.random().toString(36).slice(2, 10)}-X9z`;
}

/** Sends strings as they are, so tests can send invalid JSON, and anything else as JSON. */
function toRequestBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}
