import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Session, TestStack } from '../../infra/local/testing/test-stack';
import { startTestStack } from '../../infra/local/testing/test-stack';
import {
  createFundedMember,
  dataEvents,
  expectClosedOnce,
  expectOpenAiError,
  findReceipt,
  nextDataLine,
  openaiClient,
  postChat,
  readMe,
  readRemainingLines,
  readSseLines,
  waitUntil,
} from './ai-call-checks';

/** Keep-alive interval and upstream idle timeout of this file's stack, in milliseconds. */
const KEEPALIVE_MS = 150;
const IDLE_TIMEOUT_MS = 4_000;

/**
 * Streaming chat calls through the local gateway. Chunks reach the client while upstream is
 * still generating, and keep-alive comments fill silences. The usage chunk goes only to
 * clients that requested it, and the stream closes with the receipt. A client that
 * disconnects is charged for what it received. Tests share one upstream and change its
 * behaviour, so they run one after another and reset it after each.
 */
describe('streaming', () => {
  let stack: TestStack;
  let member: Session;
  const model = 'gpt-4o-mini';
  const messages = [
    { role: 'user' as const, content: 'Stream a few words for the streaming test' },
  ];

  beforeAll(async () => {
    stack = await startTestStack({
      handlerEnv: {
        AI_KEEPALIVE_MS: String(KEEPALIVE_MS),
        AI_UPSTREAM_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
        AI_UPSTREAM_TOTAL_TIMEOUT_MS: '20000',
      },
    });
    member = (await createFundedMember(stack, { name: 'Streamco', credits: 1_000_000 })).session;
  });

  afterEach(async () => {
    await stack.upstream.releaseHeld();
    await stack.upstream.resetBehaviour();
    await stack.upstream.clearRequests();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('first chunk arrives while upstream holds the rest', async () => {
    await stack.upstream.setBehaviour({ mode: 'normal', holdAfterFirstChunk: true, count: 1 });
    const before = await readMe(stack, member);

    const response = await postChat(stack, member, {
      model,
      messages,
      max_tokens: 50,
      stream: true,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const requestId = response.headers.get('x-creditgate-request-id');
    const lines = readSseLines(response.body as ReadableStream<Uint8Array>);

    // The first chunk is here while upstream still holds back every later one.
    const first = JSON.parse(await nextDataLine(lines));
    expect(first.choices[0].delta.content).toBe('Echo:');
    expect((await stack.upstream.getBehaviour()).heldCount).toBe(1);
    expect(await stack.upstream.releaseHeld()).toBe(1);
    const rest = (await readRemainingLines(lines)).filter((line) => line !== ': keep-alive');

    const events = dataEvents(rest);
    expect(events.length).toBeGreaterThan(2);
    // The client did not ask for usage, so the usage-only chunk is not passed on.
    expect(events.filter((event) => (event.choices as unknown[]).length === 0)).toEqual([]);
    expect(rest.at(-2)).toMatch(/^: creditgate \{/);
    expect(rest.at(-1)).toBe('data: [DONE]');
    const receipt = findReceipt(rest);
    expect(receipt.requestId).toBe(requestId);

    const settlement = await expectClosedOnce(stack, member, {
      requestId,
      balanceBefore: before.balance,
      closing: 'SETTLE',
    });
    expect(settlement.isEstimated).toBeUndefined();
    expect(receipt.cost).toBe(settlement.amount);
    expect(receipt.balance).toBe((await readMe(stack, member)).balance);
    const [upstreamRequest] = await stack.upstream.listRequests();
    expect(upstreamRequest?.stream_options).toEqual({ include_usage: true });
  });

  it('usage chunk reaches only clients that ask', async () => {
    const client = openaiClient(stack, member);
    const balanceAtStart = (await readMe(stack, member)).balance;

    const withUsage = await client.chat.completions
      .create({
        model,
        messages,
        max_tokens: 50,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const chunksWithUsage = [];
    for await (const chunk of withUsage.data) chunksWithUsage.push(chunk);
    const usageChunks = chunksWithUsage.filter((chunk) => chunk.choices.length === 0);
    expect(usageChunks).toHaveLength(1);
    expect(usageChunks[0]?.usage?.prompt_tokens).toBeGreaterThan(0);
    const firstSettlement = await expectClosedOnce(stack, member, {
      requestId: withUsage.response.headers.get('x-creditgate-request-id'),
      balanceBefore: balanceAtStart,
      closing: 'SETTLE',
    });
    expect(firstSettlement.usage?.promptTokens).toBe(usageChunks[0]?.usage?.prompt_tokens);
    expect(firstSettlement.usage?.completionTokens).toBe(usageChunks[0]?.usage?.completion_tokens);

    const withoutUsage = await client.chat.completions
      .create({ model, messages, max_tokens: 50, stream: true })
      .withResponse();
    const chunksWithoutUsage = [];
    for await (const chunk of withoutUsage.data) chunksWithoutUsage.push(chunk);
    expect(chunksWithoutUsage.filter((chunk) => chunk.choices.length === 0)).toEqual([]);
    expect(chunksWithoutUsage.filter((chunk) => chunk.usage)).toEqual([]);
    const secondSettlement = await expectClosedOnce(stack, member, {
      requestId: withoutUsage.response.headers.get('x-creditgate-request-id'),
      balanceBefore: balanceAtStart - firstSettlement.amount,
      closing: 'SETTLE',
    });
    // Usage does not depend on streaming options, so both calls cost the same.
    expect(secondSettlement.amount).toBe(firstSettlement.amount);

    // Upstream is asked for usage either way, because the proxy needs it to bill.
    const upstreamRequests = await stack.upstream.listRequests();
    expect(upstreamRequests.map((request) => request.stream_options)).toEqual([
      { include_usage: true },
      { include_usage: true },
    ]);
  });

  it('keep-alive comments fill slow chunks', async () => {
    await stack.upstream.setBehaviour({ mode: 'normal', chunks: 3, chunkDelayMs: 600, count: 1 });
    const before = await readMe(stack, member);

    const response = await postChat(stack, member, {
      model,
      messages,
      max_tokens: 50,
      stream: true,
    });
    const lines = await readRemainingLines(
      readSseLines(response.body as ReadableStream<Uint8Array>),
    );

    // Two silences of 600 ms with a 150 ms interval: about three comments each.
    const keepAlives = lines.filter((line) => line === ': keep-alive');
    expect(keepAlives.length).toBeGreaterThanOrEqual(4);
    const firstData = lines.findIndex((line) => line.startsWith('data: '));
    expect(lines.indexOf(': keep-alive')).toBeGreaterThan(firstData);
    const contentEvents = dataEvents(lines).filter(
      (event) => (event.choices as unknown[]).length > 0,
    );
    expect(contentEvents.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toBe('data: [DONE]');

    const settlement = await expectClosedOnce(stack, member, {
      requestId: response.headers.get('x-creditgate-request-id'),
      balanceBefore: before.balance,
      closing: 'SETTLE',
    });
    expect(settlement.isEstimated).toBeUndefined();
    expect(findReceipt(lines).cost).toBe(settlement.amount);
  });

  it('keep-alive comments flow before upstream answers', async () => {
    await stack.upstream.setBehaviour({ mode: 'normal', delayMs: 900, count: 1 });
    const before = await readMe(stack, member);

    const startedAt = Date.now();
    const response = await postChat(stack, member, {
      model,
      messages,
      max_tokens: 50,
      stream: true,
    });
    // The proxy opens the stream to send comments instead of waiting for upstream's headers.
    expect(Date.now() - startedAt).toBeLessThan(900);
    expect(response.status).toBe(200);
    const lines = await readRemainingLines(
      readSseLines(response.body as ReadableStream<Uint8Array>),
    );

    const firstData = lines.findIndex((line) => line.startsWith('data: '));
    const commentsBeforeData = lines.slice(0, firstData).filter((line) => line === ': keep-alive');
    expect(commentsBeforeData.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toBe('data: [DONE]');
    await expectClosedOnce(stack, member, {
      requestId: response.headers.get('x-creditgate-request-id'),
      balanceBefore: before.balance,
      closing: 'SETTLE',
    });
  });

  it('upstream error after keep-alives is an error event', async () => {
    await stack.upstream.setBehaviour({ mode: 'status', status: 500, delayMs: 600, count: 1 });
    const before = await readMe(stack, member);

    const response = await postChat(stack, member, {
      model,
      messages,
      max_tokens: 50,
      stream: true,
    });
    const lines = await readRemainingLines(
      readSseLines(response.body as ReadableStream<Uint8Array>),
    );

    // The stream was already open for the comments, so the error comes as an event.
    expect(response.status).toBe(200);
    expect(lines.filter((line) => line === ': keep-alive').length).toBeGreaterThanOrEqual(2);
    const events = dataEvents(lines);
    expect(events).toHaveLength(1);
    expectOpenAiError(events[0], { code: 'UPSTREAM_ERROR', type: 'server_error' });
    await expectClosedOnce(stack, member, {
      requestId: response.headers.get('x-creditgate-request-id'),
      balanceBefore: before.balance,
      closing: 'RELEASE',
    });
  });

  it('client disconnect stops upstream and charges delivered part', async () => {
    await stack.upstream.setBehaviour({ mode: 'normal', holdAfterFirstChunk: true, count: 1 });
    const before = await readMe(stack, member);
    const controller = new AbortController();

    const response = await postChat(
      stack,
      member,
      { model, messages, max_tokens: 50, stream: true },
      controller.signal,
    );
    const requestId = response.headers.get('x-creditgate-request-id');
    const lines = readSseLines(response.body as ReadableStream<Uint8Array>);
    expect(JSON.parse(await nextDataLine(lines)).choices[0].delta.content).toBe('Echo:');
    expect((await stack.upstream.getBehaviour()).heldCount).toBe(1);
    controller.abort();

    // Well below the idle timeout, so only the disconnect can have ended the call this soon.
    const isSettled = await waitUntil(async () => (await readMe(stack, member)).held === 0, 2_000);
    expect(isSettled).toBe(true);
    // The held upstream response is gone: the proxy aborted its upstream request.
    const isUpstreamAborted = await waitUntil(
      async () => (await stack.upstream.getBehaviour()).heldCount === 0,
      1_000,
    );
    expect(isUpstreamAborted).toBe(true);
    expect(await stack.upstream.releaseHeld()).toBe(0);

    const settlement = await expectClosedOnce(stack, member, {
      requestId,
      balanceBefore: before.balance,
      closing: 'SETTLE',
    });
    expect(settlement.isEstimated).toBe(true);
    expect(settlement.amount).toBeGreaterThan(0);
    expect(settlement.released).toBeGreaterThan(0);
  });

  it('client disconnect before output releases hold', async () => {
    await stack.upstream.setBehaviour({ mode: 'normal', delayMs: 3_000, count: 1 });
    const before = await readMe(stack, member);
    const controller = new AbortController();

    const response = await postChat(
      stack,
      member,
      { model, messages, max_tokens: 50, stream: true },
      controller.signal,
    );
    const requestId = response.headers.get('x-creditgate-request-id');
    const lines = readSseLines(response.body as ReadableStream<Uint8Array>);
    expect((await lines.next()).value).toBe(': keep-alive');
    controller.abort();

    const isReleased = await waitUntil(async () => (await readMe(stack, member)).held === 0, 2_000);
    expect(isReleased).toBe(true);
    await expectClosedOnce(stack, member, {
      requestId,
      balanceBefore: before.balance,
      closing: 'RELEASE',
    });
  });

  it('plain call disconnect releases hold', async () => {
    await stack.upstream.setBehaviour({ mode: 'normal', delayMs: 3_000, count: 1 });
    const before = await readMe(stack, member);
    const controller = new AbortController();

    const call = postChat(stack, member, { model, messages, max_tokens: 50 }, controller.signal);
    const isHeld = await waitUntil(async () => (await readMe(stack, member)).held > 0, 1_000);
    expect(isHeld).toBe(true);
    controller.abort();
    await expect(call).rejects.toThrow();

    // A plain call sends nothing before its settlement, so the client received no output.
    const isReleased = await waitUntil(async () => (await readMe(stack, member)).held === 0, 2_000);
    expect(isReleased).toBe(true);
    const ledger = await stack.api(member.idToken, 'GET', '/v1/me/ledger');
    const [latest] = ledger.body.items as { type: string; requestId: string }[];
    expect(latest?.type).toBe('RELEASE');
    await expectClosedOnce(stack, member, {
      requestId: latest?.requestId ?? null,
      balanceBefore: before.balance,
      closing: 'RELEASE',
    });
  });

  it('ledger agrees with the records', async () => {
    await stack.expectLedgerConsistent();
  });
});
