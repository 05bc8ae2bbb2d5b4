import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { expect } from 'vitest';
import {
  newPassword,
  planInput,
  type Session,
  type TestStack,
} from '../../infra/local/testing/test-stack';

/**
 * Setup and checks shared by the integration tests of how AI calls end: a funded tenant
 * member, raw chat requests, SSE line reading, and the billing checks every ending needs.
 */

/** A ledger entry as `GET /v1/me/ledger` returns it. */
export interface LedgerView {
  type: string;
  amount: number;
  requestId?: string;
  released?: number;
  isEstimated?: boolean;
  usage?: { promptTokens: number; cachedPromptTokens: number; completionTokens: number };
}

/** A tenant member with credits, and the session of its tenant's admin. */
export interface FundedMember {
  session: Session;
  userId: string;
  tenantId: string;
  admin: Session;
}

/**
 * Creates a plan, a tenant and one member holding `credits`. The plan's rate limits are
 * high, so only the behaviour under test decides how a call ends.
 */
export async function createFundedMember(
  stack: TestStack,
  input: { name: string; credits: number; planOverrides?: Record<string, unknown> },
): Promise<FundedMember> {
  const superAdmin = await stack.signIn(
    stack.info.superAdmin.email,
    stack.info.superAdmin.password,
  );
  const plan = await stack.api(
    superAdmin.idToken,
    'POST',
    '/v1/plans',
    planInput({
      maxTokensPerRequest: 100,
      requestsPerMinute: 1_000,
      concurrentStreams: 100,
      ...input.planOverrides,
    }),
  );
  expect(plan.status).toBe(201);
  const domain = `${input.name.toLowerCase()}.test`;
  const tenant = await stack.api(superAdmin.idToken, 'POST', '/v1/tenants', {
    name: input.name,
    planId: plan.body.planId,
    adminEmail: `admin@${domain}`,
    creditLimit: 100_000_000,
  });
  expect(tenant.status).toBe(201);
  const tenantId: string = tenant.body.tenantId;
  const admin = await stack.acceptInvite(`admin@${domain}`, newPassword());
  const grant = await stack.api(superAdmin.idToken, 'POST', `/v1/tenants/${tenantId}/grants`, {
    amount: 10_000_000,
    reason: 'Test credits',
  });
  expect(grant.status).toBe(201);

  const invited = await stack.api(admin.idToken, 'POST', `/v1/tenants/${tenantId}/users`, {
    email: `member@${domain}`,
    role: 'User',
  });
  expect(invited.status).toBe(201);
  const userId: string = invited.body.userId;
  const session = await stack.acceptInvite(`member@${domain}`, newPassword());
  const allocation = await stack.api(
    admin.idToken,
    'POST',
    `/v1/tenants/${tenantId}/users/${userId}/credits`,
    { operation: 'allocate', amount: input.credits },
  );
  expect(allocation.status).toBe(200);
  return { session, userId, tenantId, admin };
}

/** Returns an `openai` client for the proxy, with the SDK's retries off. */
export function openaiClient(stack: TestStack, session: Session): OpenAI {
  return new OpenAI({ baseURL: `${stack.info.apiUrl}/v1`, apiKey: session.idToken, maxRetries: 0 });
}

/** Sends `POST /v1/chat/completions` with plain fetch, so tests see raw headers and SSE lines. */
export function postChat(
  stack: TestStack,
  session: Session,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${stack.info.apiUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.idToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}

/** Yields the non-empty lines of an SSE body as they arrive: `data: ...` and `: comment` lines. */
export async function* readSseLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line !== '') yield line;
      newline = buffer.indexOf('\n');
    }
  }
  if (buffer !== '') yield buffer;
}

/** Reads lines until the first `data:` line and returns its payload; comments are skipped. */
export async function nextDataLine(lines: AsyncGenerator<string>): Promise<string> {
  for (;;) {
    const next = await lines.next();
    if (next.done) throw new Error('The stream ended before a data line');
    if (next.value.startsWith('data: ')) return next.value.slice('data: '.length);
  }
}

/** Reads the rest of a stream's lines. */
export async function readRemainingLines(lines: AsyncGenerator<string>): Promise<string[]> {
  const rest: string[] = [];
  for await (const line of lines) rest.push(line);
  return rest;
}

/** The closing receipt comment `: creditgate {...}` of a stream. */
export interface StreamReceipt {
  requestId: string;
  cost: number;
  balance: number;
}

/** Parses the receipt comment among `lines`; fails the test when there is none. */
export function findReceipt(lines: string[]): StreamReceipt {
  const line = lines.find((candidate) => candidate.startsWith(': creditgate '));
  if (!line) throw new Error(`No receipt comment among ${lines.length} lines`);
  return JSON.parse(line.slice(': creditgate '.length)) as StreamReceipt;
}

/** Returns the `data:` payloads parsed as JSON, leaving out `[DONE]` and comments. */
export function dataEvents(lines: string[]): Record<string, unknown>[] {
  return lines
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice('data: '.length)) as Record<string, unknown>);
}

/** Reads the caller's balance, held and spent credits. */
export async function readMe(
  stack: TestStack,
  session: Session,
): Promise<{ balance: number; held: number; spent: number }> {
  const me = await stack.api(session.idToken, 'GET', '/v1/me');
  expect(me.status).toBe(200);
  return { balance: me.body.balance, held: me.body.held, spent: me.body.spent };
}

/** Reads the ledger entries of one request. */
export async function readRequestLedger(
  stack: TestStack,
  session: Session,
  requestId: string,
): Promise<LedgerView[]> {
  const ledger = await stack.api(
    session.idToken,
    'GET',
    `/v1/me/ledger?requestId=${encodeURIComponent(requestId)}`,
  );
  expect(ledger.status).toBe(200);
  return ledger.body.items as LedgerView[];
}

/**
 * Checks that a call was closed exactly once: its ledger has one HOLD and exactly one
 * SETTLE or RELEASE, nothing is left held, and the balance moved by the settled cost only.
 * Returns the closing entry.
 */
export async function expectClosedOnce(
  stack: TestStack,
  session: Session,
  input: { requestId: string | null; balanceBefore: number; closing: 'SETTLE' | 'RELEASE' },
): Promise<LedgerView> {
  expect(input.requestId).toMatch(/\S/);
  const entries = await readRequestLedger(stack, session, input.requestId as string);
  const types = entries.map((entry) => entry.type).sort();
  expect(types).toEqual(['HOLD', input.closing].sort());
  const closing = entries.find((entry) => entry.type === input.closing) as LedgerView;
  const hold = entries.find((entry) => entry.type === 'HOLD') as LedgerView;
  const cost = input.closing === 'SETTLE' ? closing.amount : 0;
  if (input.closing === 'RELEASE') expect(closing.amount).toBe(hold.amount);

  const me = await readMe(stack, session);
  expect(me.held).toBe(0);
  expect(me.balance).toBe(input.balanceBefore - cost);
  return closing;
}

/** Checks an OpenAI-shaped error body: `{error: {message, type, param, code}}` and nothing else. */
export function expectOpenAiError(
  body: unknown,
  expected: {
    code: string;
    type: string;
    param?: string | null;
    details?: Record<string, unknown>;
  },
): void {
  expect(body).toEqual({
    error: {
      message: expect.any(String),
      type: expected.type,
      param: expected.param ?? null,
      code: expected.code,
      ...(expected.details && { details: expected.details }),
    },
  });
}

/**
 * Polls `check` every 50 ms until it returns true or `timeoutMs` passes; returns the last
 * result, so the caller's assertion reports the failure.
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 1_000; attempt++) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return false;
}

/** Invites one more member into the tenant of `funded` and allocates `credits` to it. */
export async function addMember(
  stack: TestStack,
  funded: FundedMember,
  input: { email: string; credits: number },
): Promise<Session> {
  const usersPath = `/v1/tenants/${funded.tenantId}/users`;
  const invited = await stack.api(funded.admin.idToken, 'POST', usersPath, {
    email: input.email,
    role: 'User',
  });
  expect(invited.status).toBe(201);
  const session = await stack.acceptInvite(input.email, newPassword());
  if (input.credits > 0) {
    const allocation = await stack.api(
      funded.admin.idToken,
      'POST',
      `${usersPath}/${invited.body.userId}/credits`,
      { operation: 'allocate', amount: input.credits },
    );
    expect(allocation.status).toBe(200);
  }
  return session;
}
