import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PLATFORM_KEY_SECRET_NAME } from '@creditgate/shared';
import OpenAI, {
  APIError,
  AuthenticationError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Behaviour } from '../../infra/local/openai-upstream/control';
import { LOCAL_CREDENTIALS } from '../../infra/local/stack/bootstrap';
import { type Session, startTestStack, type TestStack } from '../../infra/local/testing/test-stack';
import {
  addMember,
  createFundedMember,
  dataEvents,
  expectClosedOnce,
  expectOpenAiError,
  type FundedMember,
  findReceipt,
  openaiClient,
  postChat,
  readMe,
  readRemainingLines,
  readSseLines,
} from './ai-call-checks';

/** Upstream timeouts of this file's stack, in milliseconds. */
const IDLE_TIMEOUT_MS = 500;
const TOTAL_TIMEOUT_MS = 2_500;

/**
 * Every way a chat call can end, through the local gateway: success, upstream errors and
 * resets, timeouts, missing usage and a rejected platform key. Each test checks the
 * client's response, the balance, and that the call's hold was closed by exactly one SETTLE
 * or RELEASE ledger entry. Tests share one upstream and change its behaviour, so they run one
 * after another and reset it after each.
 */
describe('AI call endings', () => {
  let stack: TestStack;
  let funded: FundedMember;
  let member: Session;
  const model = 'gpt-4o-mini';
  const messages = [{ role: 'user' as const, content: 'Tell me how this call ends' }];

  /** Sends a chat call with plain fetch and reads the whole answer. */
  const callChat = async (body: Record<string, unknown>) => {
    const startedAt = Date.now();
    const response = await postChat(stack, member, { model, messages, max_tokens: 50, ...body });
    const text = await response.text();
    return {
      response,
      text,
      elapsedMs: Date.now() - startedAt,
      requestId: response.headers.get('x-creditgate-request-id'),
    };
  };
  /** Sends a streaming chat call with plain fetch and returns its SSE lines. */
  const callStream = async (body: Record<string, unknown> = {}) => {
    const startedAt = Date.now();
    const response = await postChat(stack, member, {
      model,
      messages,
      max_tokens: 50,
      stream: true,
      ...body,
    });
    const lines = await readRemainingLines(
      readSseLines(response.body as ReadableStream<Uint8Array>),
    );
    return {
      response,
      lines,
      elapsedMs: Date.now() - startedAt,
      requestId: response.headers.get('x-creditgate-request-id'),
    };
  };
  const readPlatformKey = async () => {
    const client = new SecretsManagerClient({
      region: stack.info.region,
      endpoint: stack.info.secretsManagerEndpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      const secret = await client.send(
        new GetSecretValueCommand({ SecretId: PLATFORM_KEY_SECRET_NAME }),
      );
      return (JSON.parse(secret.SecretString ?? '{}') as { apiKey: string }).apiKey;
    } finally {
      client.destroy();
    }
  };
  /** An upstream 401 whose message repeats the key, as some providers' errors do. */
  const keyRejection = (apiKey: string): Behaviour => ({
    mode: 'status',
    status: 401,
    body: {
      error: {
        message: `Incorrect API key provided: ${apiKey}.`,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    },
    match: { keySha256: createHash('sha256').update(apiKey).digest('hex') },
  });

  beforeAll(async () => {
    stack = await startTestStack({
      handlerEnv: {
        AI_UPSTREAM_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
        AI_UPSTREAM_TOTAL_TIMEOUT_MS: String(TOTAL_TIMEOUT_MS),
        // Every log line the handlers can write, so the leak check below sees all of them.
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
      },
    });
    funded = await createFundedMember(stack, {
      name: 'Endings',
      credits: 1_000_000,
      planOverrides: { models: ['gpt-4o-mini'] },
    });
    member = funded.session;
  });

  afterEach(async () => {
    await stack.upstream.releaseHeld();
    await stack.upstream.resetBehaviour();
    await stack.upstream.clearRequests();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('timeouts', () => {
    it('hang answers 504 to plain call', async () => {
      await stack.upstream.setBehaviour({ mode: 'hang' });
      const before = await readMe(stack, member);

      const result = await callChat({});

      expect(result.response.status).toBe(504);
      expectOpenAiError(JSON.parse(result.text), {
        code: 'UPSTREAM_TIMEOUT',
        type: 'server_error',
      });
      // The idle timeout ends the call, well before the total timeout.
      expect(result.elapsedMs).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS - 50);
      expect(result.elapsedMs).toBeLessThan(TOTAL_TIMEOUT_MS - 1_000);
      await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'RELEASE',
      });
    });

    it('hang answers 504 to stream before output', async () => {
      await stack.upstream.setBehaviour({ mode: 'hang' });
      const before = await readMe(stack, member);

      const result = await callChat({ stream: true });

      expect(result.response.status).toBe(504);
      expect(result.response.headers.get('content-type')).toMatch(/^application\/json/);
      expectOpenAiError(JSON.parse(result.text), {
        code: 'UPSTREAM_TIMEOUT',
        type: 'server_error',
      });
      expect(result.elapsedMs).toBeLessThan(TOTAL_TIMEOUT_MS - 1_000);
      await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'RELEASE',
      });
    });

    it('plain answer held after headers answers 504', async () => {
      await stack.upstream.setBehaviour({ mode: 'normal', holdAfterFirstChunk: true });
      const before = await readMe(stack, member);

      const result = await callChat({});

      expect(result.response.status).toBe(504);
      expectOpenAiError(JSON.parse(result.text), {
        code: 'UPSTREAM_TIMEOUT',
        type: 'server_error',
      });
      expect(result.elapsedMs).toBeLessThan(TOTAL_TIMEOUT_MS - 1_000);
      await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'RELEASE',
      });
    });

    it('stalled stream ends with error event', async () => {
      await stack.upstream.setBehaviour({ mode: 'normal', holdAfterFirstChunk: true });
      const before = await readMe(stack, member);

      const result = await callStream();

      expect(result.response.status).toBe(200);
      expect(result.elapsedMs).toBeLessThan(TOTAL_TIMEOUT_MS - 1_000);
      const events = dataEvents(result.lines);
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({ choices: [{ delta: { content: 'Echo:' } }] });
      expectOpenAiError(events[1], { code: 'UPSTREAM_TIMEOUT', type: 'server_error' });
      expect(result.lines.at(-2)).toMatch(/^: creditgate /);
      expect(result.lines.at(-1)).toBe('data: [DONE]');

      // The delivered part is charged as estimated, and the rest of the hold returns.
      const settlement = await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'SETTLE',
      });
      expect(settlement.isEstimated).toBe(true);
      expect(settlement.amount).toBeGreaterThan(0);
      expect(settlement.released).toBeGreaterThan(0);
      expect(findReceipt(result.lines).cost).toBe(settlement.amount);
    });

    it('total timeout cuts steady stream', async () => {
      // Each chunk comes before the idle timeout, but all 40 take 8 s.
      await stack.upstream.setBehaviour({ mode: 'normal', chunks: 40, chunkDelayMs: 200 });
      const before = await readMe(stack, member);

      const result = await callStream();

      expect(result.response.status).toBe(200);
      expect(result.elapsedMs).toBeGreaterThanOrEqual(TOTAL_TIMEOUT_MS - 100);
      expect(result.elapsedMs).toBeLessThan(TOTAL_TIMEOUT_MS + 1_500);
      const events = dataEvents(result.lines);
      const contentEvents = events.filter((event) => Array.isArray(event.choices));
      expect(contentEvents.length).toBeGreaterThan(5);
      expect(contentEvents.length).toBeLessThan(40);
      expectOpenAiError(events.at(-1), { code: 'UPSTREAM_TIMEOUT', type: 'server_error' });
      expect(result.lines.at(-1)).toBe('data: [DONE]');

      const settlement = await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'SETTLE',
      });
      expect(settlement.isEstimated).toBe(true);
      expect(settlement.amount).toBeGreaterThan(0);
    });
  });

  describe('upstream errors', () => {
    it('upstream 400 passes through', async () => {
      const upstreamMessage = "Invalid value for 'temperature': expected a number.";
      await stack.upstream.setBehaviour({
        mode: 'status',
        status: 400,
        body: {
          error: {
            message: upstreamMessage,
            type: 'invalid_request_error',
            param: 'temperature',
            code: 'invalid_value',
          },
        },
      });
      const before = await readMe(stack, member);

      const result = await callChat({ temperature: 'warm' });

      expect(result.response.status).toBe(400);
      const body = JSON.parse(result.text);
      expectOpenAiError(body, {
        code: 'VALIDATION_FAILED',
        type: 'invalid_request_error',
        param: 'temperature',
        details: { fields: [{ field: 'temperature', message: upstreamMessage }] },
      });
      expect(body.error.message).toBe(upstreamMessage);
      await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'RELEASE',
      });
    });

    it('upstream 429 answers RATE_LIMITED', async () => {
      await stack.upstream.setBehaviour({ mode: 'status', status: 429, retryAfter: 7 });
      const before = await readMe(stack, member);

      const result = await callChat({});

      expect(result.response.status).toBe(429);
      expect(result.response.headers.get('retry-after')).toBe('7');
      expectOpenAiError(JSON.parse(result.text), {
        code: 'RATE_LIMITED',
        type: 'rate_limit_error',
        details: { retryAfter: '7' },
      });
      await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'RELEASE',
      });
    });

    it.each([
      ['status 500', { mode: 'status', status: 500 }],
      ['reset before headers', { mode: 'reset-before-headers' }],
    ] satisfies [string, Behaviour][])('upstream %s answers 502', async (_name, behaviour) => {
      await stack.upstream.setBehaviour(behaviour);
      const before = await readMe(stack, member);

      const result = await callChat({});

      expect(result.response.status).toBe(502);
      expect(result.response.headers.get('x-should-retry')).toBe('false');
      expectOpenAiError(JSON.parse(result.text), { code: 'UPSTREAM_ERROR', type: 'server_error' });
      await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'RELEASE',
      });
    });

    it('reset mid-stream charges delivered part', async () => {
      await stack.upstream.setBehaviour({ mode: 'reset-mid-stream', chunks: 3 });
      const before = await readMe(stack, member);

      const result = await callStream();

      expect(result.response.status).toBe(200);
      const events = dataEvents(result.lines);
      expect(events).toHaveLength(4);
      expectOpenAiError(events[3], { code: 'UPSTREAM_ERROR', type: 'server_error' });
      expect(result.lines.at(-1)).toBe('data: [DONE]');

      const settlement = await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'SETTLE',
      });
      expect(settlement.isEstimated).toBe(true);
      expect(settlement.amount).toBeGreaterThan(0);
      expect(settlement.released).toBeGreaterThan(0);
      expect(findReceipt(result.lines).cost).toBe(settlement.amount);
    });

    it('reset mid-body answers 502 to plain call', async () => {
      await stack.upstream.setBehaviour({ mode: 'reset-mid-stream' });
      const before = await readMe(stack, member);

      const result = await callChat({});

      expect(result.response.status).toBe(502);
      expectOpenAiError(JSON.parse(result.text), { code: 'UPSTREAM_ERROR', type: 'server_error' });
      await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'RELEASE',
      });
    });
  });

  describe('missing usage', () => {
    it('plain call without usage is estimated', async () => {
      await stack.upstream.setBehaviour({ mode: 'no-usage' });
      const before = await readMe(stack, member);

      const result = await callChat({});

      expect(result.response.status).toBe(200);
      expect(JSON.parse(result.text).choices[0].message.content).toMatch(/^Echo:/);
      const cost = Number(result.response.headers.get('x-creditgate-cost'));
      expect(cost).toBeGreaterThan(0);
      const settlement = await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'SETTLE',
      });
      expect(settlement.isEstimated).toBe(true);
      expect(settlement.amount).toBe(cost);
      expect(settlement.usage?.completionTokens).toBeGreaterThan(0);
    });

    it('stream without usage is estimated', async () => {
      await stack.upstream.setBehaviour({ mode: 'no-usage' });
      const before = await readMe(stack, member);

      const result = await callStream({ stream_options: { include_usage: true } });

      expect(result.response.status).toBe(200);
      expect(result.lines.at(-1)).toBe('data: [DONE]');
      const receipt = findReceipt(result.lines);
      expect(receipt.cost).toBeGreaterThan(0);
      const settlement = await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'SETTLE',
      });
      expect(settlement.isEstimated).toBe(true);
      expect(settlement.amount).toBe(receipt.cost);
    });
  });

  describe('platform key', () => {
    it('rejected key is read again and retried', async () => {
      const apiKey = await readPlatformKey();
      await stack.upstream.setBehaviour({ ...keyRejection(apiKey), count: 1 });
      const before = await readMe(stack, member);

      const { data, response } = await openaiClient(stack, member)
        .chat.completions.create({ model, messages, max_tokens: 50 })
        .withResponse();

      expect(data.choices[0]?.message.content).toMatch(/^Echo:/);
      const upstreamRequests = await stack.upstream.listRequests();
      expect(upstreamRequests).toHaveLength(2);
      const keyHash = createHash('sha256').update(apiKey).digest('hex');
      expect(upstreamRequests.map((request) => request.keySha256)).toEqual([keyHash, keyHash]);
      const settlement = await expectClosedOnce(stack, member, {
        requestId: response.headers.get('x-creditgate-request-id'),
        balanceBefore: before.balance,
        closing: 'SETTLE',
      });
      expect(settlement.isEstimated).toBeUndefined();
    });

    it('lasting key rejection answers 502 without key', async () => {
      const apiKey = await readPlatformKey();
      await stack.upstream.setBehaviour(keyRejection(apiKey));
      const before = await readMe(stack, member);
      const prompt = 'Marker prompt 7f3c9 must stay out of the logs';

      const result = await callChat({ messages: [{ role: 'user', content: prompt }] });

      expect(result.response.status).toBe(502);
      expectOpenAiError(JSON.parse(result.text), { code: 'UPSTREAM_ERROR', type: 'server_error' });
      expect(result.text).not.toContain(apiKey);
      // One request with the cached key and one after reading the secret again.
      expect(await stack.upstream.listRequests()).toHaveLength(2);
      await expectClosedOnce(stack, member, {
        requestId: result.requestId,
        balanceBefore: before.balance,
        closing: 'RELEASE',
      });

      // The handlers log to the gateway's output; give the last lines time to reach the file.
      await sleep(200);
      const log = await readFile(join(stack.info.logDir, 'gateway.log'), 'utf8');
      expect(log).toContain(result.requestId);
      expect(log).not.toContain(apiKey);
      expect(log).not.toContain(prompt);
    });
  });

  describe('SDK error classes', () => {
    it('402 is APIError with status 402', async () => {
      const poor = await addMember(stack, funded, { email: 'poor@endings.test', credits: 1 });

      const error = await openaiClient(stack, poor)
        .chat.completions.create({ model, messages, max_tokens: 50 })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(APIError);
      expect(error).toMatchObject({
        status: 402,
        code: 'INSUFFICIENT_CREDITS',
        type: 'insufficient_quota',
      });
      expect((error as APIError).headers?.get('x-creditgate-request-id')).toMatch(/^req_/);
      expect(await readMe(stack, poor)).toEqual({ balance: 1, held: 0, spent: 0 });
      expect(await stack.upstream.listRequests()).toEqual([]);
    });

    it('403 MODEL_NOT_ALLOWED is PermissionDeniedError', async () => {
      const before = await readMe(stack, member);

      const error = await openaiClient(stack, member)
        .chat.completions.create({ model: 'gpt-4o', messages, max_tokens: 50 })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error).toMatchObject({ status: 403, code: 'MODEL_NOT_ALLOWED', param: 'model' });
      expect((error as APIError).headers?.get('x-creditgate-request-id')).toMatch(/^req_/);
      expect(await readMe(stack, member)).toEqual(before);
      expect(await stack.upstream.listRequests()).toEqual([]);
    });

    it('401 is AuthenticationError', async () => {
      const before = await readMe(stack, member);
      const client = new OpenAI({
        baseURL: `${stack.info.apiUrl}/v1`,
        apiKey: 'not-a-valid-token',
        maxRetries: 0,
      });

      const error = await client.chat.completions
        .create({ model, messages, max_tokens: 50 })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect((error as APIError).headers?.get('x-creditgate-request-id')).toMatch(/^req_/);
      expect(await readMe(stack, member)).toEqual(before);
      expect(await stack.upstream.listRequests()).toEqual([]);
    });

    it('429 is RateLimitError', async () => {
      await stack.upstream.setBehaviour({ mode: 'status', status: 429, retryAfter: 3 });
      const before = await readMe(stack, member);

      const error = await openaiClient(stack, member)
        .chat.completions.create({ model, messages, max_tokens: 50 })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      const headers = (error as RateLimitError).headers;
      expect(headers?.get('retry-after')).toBe('3');
      await expectClosedOnce(stack, member, {
        requestId: headers?.get('x-creditgate-request-id') ?? null,
        balanceBefore: before.balance,
        closing: 'RELEASE',
      });
    });
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
