import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamControl, type UpstreamControl } from './control-client.js';
import type { OpenAiErrorBody } from './openai-error.js';
import {
  CACHED_PREFIX_MIN_BYTES,
  computeEmbedding,
  computeUsage,
  type OpenAiUpstream,
  REASONING_TOKENS,
  startOpenAiUpstream,
} from './server.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves to 'timeout' when the promise has not settled within `ms`. */
function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([promise, wait(ms).then(() => 'timeout' as const)]);
}

/** Reads a stream to the end, keeping the chunks that arrived before any error. */
async function collectStream(
  stream: AsyncIterable<ChatCompletionChunk>,
): Promise<{ chunks: ChatCompletionChunk[]; error: unknown }> {
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
    }
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

/** Waits until the upstream has recorded `count` requests, polling for up to 2 s. */
async function waitForRequestCount(control: UpstreamControl, count: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if ((await control.listRequests()).length >= count) {
      return;
    }
    await wait(20);
  }
  throw new Error(`The upstream did not record ${count} requests within 2 s.`);
}

const contentChunks = (chunks: ChatCompletionChunk[]) =>
  chunks.filter((chunk) => chunk.choices[0]?.delta.content !== undefined);

describe('computeUsage', () => {
  it('counts prompt tokens per message', () => {
    // 'hello' is 5 bytes: 4 + ceil(5 / 4) = 6 tokens, plus 3 for the reply.
    const usage = computeUsage({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
    });

    expect(usage.prompt_tokens).toBe(9);
    expect(usage.completion_tokens).toBe(2);
    expect(usage.total_tokens).toBe(11);
  });

  it('caches a long system prefix', () => {
    const system = 'x'.repeat(CACHED_PREFIX_MIN_BYTES);
    const messages = [
      { role: 'system', content: system },
      { role: 'user', content: 'hi' },
    ];

    const usage = computeUsage({ model: 'gpt-4o-mini', messages });
    const shortUsage = computeUsage({
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: system.slice(1) }, messages[1]],
    });

    expect(usage.prompt_tokens_details.cached_tokens).toBe(4 + CACHED_PREFIX_MIN_BYTES / 4);
    expect(shortUsage.prompt_tokens_details.cached_tokens).toBe(0);
  });

  it('adds reasoning tokens for o-series', () => {
    const request = { model: 'o4-mini', messages: [{ role: 'user', content: 'one two' }] };

    const usage = computeUsage(request);

    expect(usage.completion_tokens_details.reasoning_tokens).toBe(REASONING_TOKENS);
    expect(usage.completion_tokens).toBe(REASONING_TOKENS + 3);
  });

  it('caps completion by max tokens', () => {
    const messages = [{ role: 'user', content: 'a b c d e f' }];

    const capped = computeUsage({ model: 'gpt-4o', messages, max_tokens: 3 });
    const cappedBoth = computeUsage({
      model: 'gpt-4o',
      messages,
      max_tokens: 5,
      max_completion_tokens: 2,
    });
    const reasoningCapped = computeUsage({ model: 'o4-mini', messages, max_completion_tokens: 10 });

    expect(capped.completion_tokens).toBe(3);
    expect(cappedBoth.completion_tokens).toBe(2);
    expect(reasoningCapped.completion_tokens).toBe(10);
    expect(reasoningCapped.completion_tokens_details.reasoning_tokens).toBe(10);
  });

  it('counts text parts like strings', () => {
    const asString = computeUsage({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'twelve bytes' }],
    });
    const asParts = computeUsage({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'twelve bytes' }] }],
    });

    expect(asParts).toEqual(asString);
  });
});

describe('openai upstream', () => {
  let upstream: OpenAiUpstream;
  let control: UpstreamControl;

  const createClient = (apiKey = 'sk-test', options: { timeout?: number } = {}) =>
    new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey, maxRetries: 0, ...options });
  const createAdminClient = (adminAPIKey = 'sk-admin-test') =>
    new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: 'sk-test', adminAPIKey, maxRetries: 0 });

  beforeAll(async () => {
    upstream = await startOpenAiUpstream();
    control = createUpstreamControl(upstream.url);
  });

  afterEach(async () => {
    await control.resetBehaviour();
    await control.releaseHeld();
    await control.clearRequests();
  });

  afterAll(async () => {
    await upstream.close();
  });

  describe('chat completions', () => {
    const request = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system' as const, content: 'Be brief.' },
        { role: 'user' as const, content: 'Tell me about the weather in Lisbon today' },
      ],
    };

    it('stream and json report same usage', async () => {
      const client = createClient();

      const completion = await client.chat.completions.create(request);
      const stream = await client.chat.completions.create({
        ...request,
        stream: true,
        stream_options: { include_usage: true },
      });
      const { chunks, error } = await collectStream(stream);

      expect(error).toBeUndefined();
      expect(completion.usage).toEqual(computeUsage(request));
      expect(chunks.at(-1)?.choices).toEqual([]);
      expect(chunks.at(-1)?.usage).toEqual(completion.usage);
      expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    });

    it('stream content matches json content', async () => {
      const client = createClient();

      const completion = await client.chat.completions.create(request);
      const { chunks } = await collectStream(
        await client.chat.completions.create({ ...request, stream: true }),
      );
      const pieces = contentChunks(chunks).map((chunk) => chunk.choices[0]?.delta.content);

      expect(completion.choices[0]?.message.content).toBe(
        'Echo: Tell me about the weather in Lisbon today',
      );
      expect(pieces.join('')).toBe(completion.choices[0]?.message.content);
      expect(pieces).toHaveLength(completion.usage?.completion_tokens ?? -1);
      expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
      expect(chunks[0]?.object).toBe('chat.completion.chunk');
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
      expect(chunks.every((chunk) => !('usage' in chunk))).toBe(true);
    });

    it('json reply has openai shape', async () => {
      const response = await fetch(`${upstream.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      const body = (await response.json()) as ChatCompletion;

      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('x-request-id')).toMatch(/^req_/);
      expect(body.object).toBe('chat.completion');
      expect(body.id).toMatch(/^chatcmpl-/);
      expect(body.model).toBe('gpt-4o-mini');
      expect(typeof body.created).toBe('number');
      expect(body.choices[0].index).toBe(0);
      expect(body.choices[0].message.role).toBe('assistant');
      expect(body.choices[0].finish_reason).toBe('stop');
    });

    it('caps reply at max_tokens', async () => {
      const client = createClient();
      const capped = { ...request, max_tokens: 3 };

      const completion = await client.chat.completions.create(capped);
      const { chunks } = await collectStream(
        await client.chat.completions.create({
          ...capped,
          stream: true,
          stream_options: { include_usage: true },
        }),
      );

      expect(completion.choices[0]?.finish_reason).toBe('length');
      expect(completion.choices[0]?.message.content).toBe('Echo: Tell me');
      expect(completion.usage?.completion_tokens).toBe(3);
      expect(contentChunks(chunks)).toHaveLength(3);
      expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('length');
      expect(chunks.at(-1)?.usage?.completion_tokens).toBe(3);
    });

    it('reports cached tokens for long system prompt', async () => {
      const client = createClient();
      const cachedRequest = {
        model: 'gpt-4o',
        messages: [
          { role: 'system' as const, content: 'rule '.repeat(300) },
          { role: 'user' as const, content: 'hi' },
        ],
      };

      const completion = await client.chat.completions.create(cachedRequest);

      expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(4 + 1500 / 4);
      expect(completion.usage).toEqual(computeUsage(cachedRequest));
    });

    it('reports reasoning tokens for o4-mini', async () => {
      const client = createClient();
      const reasoningRequest = {
        model: 'o4-mini',
        messages: [{ role: 'developer' as const, content: 'Think.' }, request.messages[1]],
        max_completion_tokens: 100,
      };

      const completion = await client.chat.completions.create(reasoningRequest);

      expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(REASONING_TOKENS);
      expect(completion.usage?.completion_tokens).toBe(REASONING_TOKENS + 9);
      expect(completion.usage).toEqual(computeUsage(reasoningRequest));
    });

    it('rejects max_tokens for o4-mini', async () => {
      const client = createClient();

      const call = client.chat.completions.create({ ...request, model: 'o4-mini', max_tokens: 50 });

      await expect(call).rejects.toBeInstanceOf(BadRequestError);
      await expect(call).rejects.toMatchObject({
        code: 'unsupported_parameter',
        param: 'max_tokens',
      });
    });

    it('echoes text content parts', async () => {
      const client = createClient();

      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'first part' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
              { type: 'text', text: 'second part' },
            ],
          },
        ],
      });

      expect(completion.choices[0]?.message.content).toBe('Echo: first part second part');
    });

    it('counts every choice of n', async () => {
      const client = createClient();
      const single = computeUsage(request);

      const completion = await client.chat.completions.create({ ...request, n: 2 });
      const { chunks } = await collectStream(
        await client.chat.completions.create({ ...request, n: 2, stream: true }),
      );

      expect(completion.choices.map((choice) => choice.index)).toEqual([0, 1]);
      expect(completion.usage?.completion_tokens).toBe(single.completion_tokens * 2);
      expect(completion.usage?.prompt_tokens).toBe(single.prompt_tokens);
      expect(contentChunks(chunks)).toHaveLength(single.completion_tokens * 2);
    });

    it('rejects unknown model', async () => {
      const client = createClient();

      const call = client.chat.completions.create({ ...request, model: 'gpt-unknown' });

      await expect(call).rejects.toBeInstanceOf(NotFoundError);
      await expect(call).rejects.toMatchObject({ code: 'model_not_found' });
    });

    it('rejects embedding model', async () => {
      const client = createClient();

      const call = client.chat.completions.create({ ...request, model: 'text-embedding-3-small' });

      await expect(call).rejects.toBeInstanceOf(NotFoundError);
    });

    it('rejects invalid json body', async () => {
      const response = await fetch(`${upstream.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
        body: '{"model": "gpt-4o-mini",',
      });
      const body = (await response.json()) as OpenAiErrorBody;

      expect(response.status).toBe(400);
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
      expect(body.error.type).toBe('invalid_request_error');
    });

    it('rejects missing and empty messages', async () => {
      const client = createClient();
      const withoutMessages = { model: 'gpt-4o-mini' } as unknown as typeof request;

      const missing = client.chat.completions.create(withoutMessages);
      const empty = client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] });
      const badRole = client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'robot', content: 'hi' }] as unknown as typeof request.messages,
      });

      await expect(missing).rejects.toMatchObject({
        status: 400,
        code: 'missing_required_parameter',
        param: 'messages',
      });
      await expect(empty).rejects.toMatchObject({ status: 400, code: 'empty_array' });
      await expect(badRole).rejects.toMatchObject({ status: 400, param: 'messages[0].role' });
    });

    it('rejects stream_options without stream', async () => {
      const client = createClient();

      const call = client.chat.completions.create({
        ...request,
        stream: false,
        stream_options: { include_usage: true },
      });

      await expect(call).rejects.toMatchObject({ status: 400, param: 'stream_options' });
    });

    it('rejects max_tokens below one', async () => {
      const client = createClient();

      const call = client.chat.completions.create({ ...request, max_tokens: 0 });

      await expect(call).rejects.toMatchObject({ status: 400, code: 'integer_below_min_value' });
    });
  });

  describe('embeddings', () => {
    it('base64 decodes to float values', async () => {
      const client = createClient();
      const input = ['first text', 'second text'];

      // The SDK requests base64 by default and decodes it to floats.
      const fromBase64 = await client.embeddings.create({ model: 'text-embedding-3-small', input });
      const fromFloat = await client.embeddings.create({
        model: 'text-embedding-3-small',
        input,
        encoding_format: 'float',
      });
      const requests = await control.listRequests();

      expect(requests[0]?.body).toMatchObject({ encoding_format: 'base64' });
      expect(fromBase64.data.map((item) => item.embedding)).toEqual(
        fromFloat.data.map((item) => item.embedding),
      );
      expect(fromFloat.data[1]?.embedding).toEqual(computeEmbedding('second text'));
      expect(fromFloat.data.map((item) => item.index)).toEqual([0, 1]);
    });

    it('returns unit vectors of 16 dims', async () => {
      const client = createClient();

      const result = await client.embeddings.create({
        model: 'text-embedding-3-small',
        input: 'hello',
        encoding_format: 'float',
      });
      const vector = result.data[0]?.embedding ?? [];
      const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));

      expect(vector).toHaveLength(16);
      expect(norm).toBeCloseTo(1, 5);
      expect(result.object).toBe('list');
      expect(result.model).toBe('text-embedding-3-small');
      expect(result.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    });

    it('honours dimensions', async () => {
      const client = createClient();

      const result = await client.embeddings.create({
        model: 'text-embedding-3-small',
        input: 'hello',
        dimensions: 40,
      });

      expect(result.data[0]?.embedding).toHaveLength(40);
      expect(result.data[0]?.embedding).toEqual(computeEmbedding('hello', 40));
    });

    it('rejects empty input', async () => {
      const client = createClient();

      const call = client.embeddings.create({ model: 'text-embedding-3-small', input: '' });

      await expect(call).rejects.toMatchObject({ status: 400, param: 'input' });
    });

    it('rejects chat model', async () => {
      const client = createClient();

      const call = client.embeddings.create({ model: 'gpt-4o-mini', input: 'hello' });

      await expect(call).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('models', () => {
    it('lists priced models', async () => {
      const client = createClient();

      const page = await client.models.list();
      const ids = page.data.map((model) => model.id);

      expect(ids).toEqual(
        expect.arrayContaining(['gpt-4o-mini', 'gpt-4o', 'o4-mini', 'text-embedding-3-small']),
      );
      expect(page.data.every((model) => model.object === 'model')).toBe(true);
    });

    it('retrieves one model', async () => {
      const client = createClient();

      const model = await client.models.retrieve('gpt-4o');
      const missing = await client.models.retrieve('gpt-unknown').catch((error: unknown) => error);

      expect(model.id).toBe('gpt-4o');
      expect(missing).toMatchObject({ status: 404, code: 'model_not_found' });
    });
  });

  describe('auth', () => {
    it.each([['not-an-sk-key'], ['sk-invalid-key'], ['sk-this-is-invalid']])(
      'rejects key %s',
      async (key) => {
        const client = createClient(key);

        const call = client.models.list();

        await expect(call).rejects.toBeInstanceOf(AuthenticationError);
        await expect(call).rejects.toMatchObject({ code: 'invalid_api_key' });
      },
    );

    it('rejects missing key', async () => {
      const response = await fetch(`${upstream.url}/v1/models`);
      const body = (await response.json()) as OpenAiErrorBody;

      expect(response.status).toBe(401);
      expect(body.error.type).toBe('invalid_request_error');
    });
  });

  describe('control api', () => {
    it('records requests with key hash', async () => {
      const client = createClient('sk-recorded-key');
      await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      await createClient('sk-invalid-key')
        .models.list()
        .catch(() => undefined);

      const requests = await control.listRequests();

      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({
        path: '/v1/chat/completions',
        model: 'gpt-4o',
        stream: true,
        stream_options: { include_usage: true },
        keySha256: sha256('sk-recorded-key'),
      });
      expect(Date.parse(requests[0]?.time ?? '')).not.toBeNaN();
      expect(requests[1]).toMatchObject({
        path: '/v1/models',
        keySha256: sha256('sk-invalid-key'),
      });
      expect(JSON.stringify(requests)).not.toContain('sk-recorded-key');
    });

    it('clears recorded requests', async () => {
      await createClient().models.list();

      await control.clearRequests();

      expect(await control.listRequests()).toEqual([]);
    });

    it('rejects unknown behaviour field', async () => {
      const response = await fetch(`${upstream.url}/_control/behaviour`, {
        method: 'POST',
        body: JSON.stringify({ mode: 'normal', delay: 100 }),
      });
      const body = (await response.json()) as OpenAiErrorBody;

      expect(response.status).toBe(400);
      expect(body.error.message).toContain("'delay'");
    });

    it('rejects unknown mode', async () => {
      const response = await fetch(`${upstream.url}/_control/behaviour`, {
        method: 'POST',
        body: JSON.stringify({ mode: 'explode' }),
      });

      expect(response.status).toBe(400);
    });
  });

  describe('behaviour', () => {
    const chatRequest = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'one two three four five' }],
    };

    it('status sends status and retry-after', async () => {
      await control.setBehaviour({ mode: 'status', status: 429, retryAfter: 7, count: 1 });
      const client = createClient();

      const failed = await client.chat.completions.create(chatRequest).catch((error) => error);
      const next = await client.chat.completions.create(chatRequest);
      const requests = await control.listRequests();

      expect(failed).toBeInstanceOf(RateLimitError);
      expect(failed.headers.get('retry-after')).toBe('7');
      expect(failed.code).toBe('rate_limit_exceeded');
      expect(next.choices[0]?.finish_reason).toBe('stop');
      expect(requests).toHaveLength(2);
    });

    it('status sends custom body', async () => {
      const body = { error: { message: 'down', type: 'server_error', param: null, code: 'x' } };
      await control.setBehaviour({ mode: 'status', status: 503, body });

      const response = await fetch(`${upstream.url}/v1/models`, {
        headers: { authorization: 'Bearer sk-test' },
      });

      expect(response.status).toBe(503);
      expect(await response.json()).toEqual(body);
    });

    it('status defaults to 500 until reset', async () => {
      await control.setBehaviour({ mode: 'status' });
      const client = createClient();

      const first = client.chat.completions.create(chatRequest);
      await expect(first).rejects.toBeInstanceOf(InternalServerError);
      const second = client.chat.completions.create(chatRequest);
      await expect(second).rejects.toBeInstanceOf(InternalServerError);
      await control.resetBehaviour();
      const third = await client.chat.completions.create(chatRequest);

      expect(third.choices).toHaveLength(1);
    });

    it('match limits behaviour to key and model', async () => {
      await control.setBehaviour({
        mode: 'status',
        status: 503,
        match: { keySha256: sha256('sk-tenant-a'), model: 'gpt-4o-mini' },
      });

      const matched = await createClient('sk-tenant-a')
        .chat.completions.create(chatRequest)
        .catch((error: unknown) => error);
      const otherKey = await createClient('sk-tenant-b').chat.completions.create(chatRequest);
      const otherModel = await createClient('sk-tenant-a').chat.completions.create({
        ...chatRequest,
        model: 'gpt-4o',
      });

      expect(matched).toMatchObject({ status: 503 });
      expect(otherKey.choices).toHaveLength(1);
      expect(otherModel.choices).toHaveLength(1);
      expect((await control.getBehaviour()).behaviour.mode).toBe('status');
    });

    it('count ignores requests that do not match', async () => {
      await control.setBehaviour({
        mode: 'status',
        status: 500,
        count: 1,
        match: { path: '/v1/embeddings' },
      });
      const client = createClient();

      await client.models.list();
      const embedding = client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });

      await expect(embedding).rejects.toBeInstanceOf(InternalServerError);
      expect((await control.getBehaviour()).behaviour.mode).toBe('normal');
    });

    it('reset-before-headers drops connection', async () => {
      await control.setBehaviour({ mode: 'reset-before-headers', count: 1 });
      const client = createClient();

      const call = client.chat.completions.create(chatRequest);

      await expect(call).rejects.toBeInstanceOf(APIConnectionError);
      expect(await control.listRequests()).toHaveLength(1);
    });

    it('reset-mid-stream cuts stream after chunks', async () => {
      await control.setBehaviour({ mode: 'reset-mid-stream', chunks: 3 });
      const client = createClient();

      const stream = await client.chat.completions.create({
        ...chatRequest,
        stream: true,
        stream_options: { include_usage: true },
      });
      const { chunks, error } = await collectStream(stream);

      expect(error).toBeInstanceOf(Error);
      expect(contentChunks(chunks)).toHaveLength(3);
      expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason)).toBe(false);
      expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    });

    it('reset-mid-stream defaults to two chunks', async () => {
      await control.setBehaviour({ mode: 'reset-mid-stream' });
      const client = createClient();

      const stream = await client.chat.completions.create({ ...chatRequest, stream: true });
      const { chunks, error } = await collectStream(stream);

      expect(error).toBeInstanceOf(Error);
      expect(contentChunks(chunks)).toHaveLength(2);
    });

    it('reset-mid-stream cuts json body', async () => {
      await control.setBehaviour({ mode: 'reset-mid-stream' });
      const client = createClient();

      const call = client.chat.completions.create(chatRequest);

      await expect(call).rejects.toBeInstanceOf(Error);
    });

    it('hang leaves client waiting', async () => {
      await control.setBehaviour({ mode: 'hang', count: 1 });
      const client = createClient('sk-test', { timeout: 300 });

      const call = client.chat.completions.create(chatRequest);

      await expect(call).rejects.toBeInstanceOf(APIConnectionTimeoutError);
      const next = await client.chat.completions.create(chatRequest);
      expect(next.choices).toHaveLength(1);
    });

    it('usage override replaces reported counts', async () => {
      await control.setBehaviour({
        mode: 'normal',
        usage: { prompt_tokens: 900, completion_tokens: 4_000, cached_tokens: 100 },
      });
      const client = createClient();

      const completion = await client.chat.completions.create(chatRequest);

      expect(completion.usage?.prompt_tokens).toBe(900);
      expect(completion.usage?.completion_tokens).toBe(4_000);
      expect(completion.usage?.total_tokens).toBe(4_900);
      expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(100);
    });

    it('usage override rejects unknown fields', async () => {
      await expect(
        control.setBehaviour({ mode: 'normal', usage: { tokens: 1 } } as never),
      ).rejects.toThrow("Unknown usage field 'tokens'");
    });

    it('no-usage omits usage everywhere', async () => {
      await control.setBehaviour({ mode: 'no-usage' });
      const client = createClient();

      const completion = await client.chat.completions.create(chatRequest);
      const { chunks } = await collectStream(
        await client.chat.completions.create({
          ...chatRequest,
          stream: true,
          stream_options: { include_usage: true },
        }),
      );
      const embedding = await client.embeddings.create({
        model: 'text-embedding-3-small',
        input: 'x',
      });

      expect(completion).not.toHaveProperty('usage');
      expect(chunks.length).toBeGreaterThan(0);
      expect(chunks.every((chunk) => !('usage' in chunk))).toBe(true);
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
      expect(embedding).not.toHaveProperty('usage');
    });

    it('delayMs delays headers', async () => {
      await control.setBehaviour({ mode: 'normal', delayMs: 250 });
      const client = createClient();
      const started = performance.now();

      await client.chat.completions.create(chatRequest);

      expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    });

    it('chunks and chunkDelayMs shape stream', async () => {
      await control.setBehaviour({ mode: 'normal', chunks: 8, chunkDelayMs: 30 });
      const client = createClient();
      const started = performance.now();

      const { chunks } = await collectStream(
        await client.chat.completions.create({
          ...chatRequest,
          stream: true,
          stream_options: { include_usage: true },
        }),
      );
      const elapsed = performance.now() - started;

      // 8 content chunks, the finish chunk and the usage chunk: 9 pauses of 30 ms.
      expect(contentChunks(chunks)).toHaveLength(8);
      expect(chunks.at(-1)?.usage?.completion_tokens).toBe(8);
      expect(elapsed).toBeGreaterThanOrEqual(9 * 30 - 10);
    });

    it('hold pauses stream until release', async () => {
      await control.setBehaviour({ mode: 'normal', holdAfterFirstChunk: true });
      const client = createClient();
      const stream = await client.chat.completions.create({ ...chatRequest, stream: true });
      const iterator = stream[Symbol.asyncIterator]();

      const first = await iterator.next();
      const pending = iterator.next();
      const beforeRelease = await settleWithin(pending, 200);
      const { heldCount } = await control.getBehaviour();
      const released = await control.releaseHeld();
      const second = await pending;
      let rest = 0;
      for (
        let result = await iterator.next();
        !result.done && rest < 100;
        result = await iterator.next()
      ) {
        rest += 1;
      }

      expect(first.value?.choices[0]?.delta.role).toBe('assistant');
      expect(beforeRelease).toBe('timeout');
      expect(heldCount).toBe(1);
      expect(released).toBe(1);
      expect(second.value?.choices[0]?.delta.content).toBe(' one');
      expect(rest).toBeGreaterThan(0);
    });
  });

  describe('admin keys', () => {
    it('mints and revokes service account key', async () => {
      const admin = createAdminClient();

      const account = await admin.admin.organization.projects.serviceAccounts.create('proj_local', {
        name: 'creditgate-platform',
      });
      const minted = account.api_key?.value ?? '';
      const completion = await createClient(minted).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
      const listed = await admin.admin.organization.projects.serviceAccounts.list('proj_local');
      const deleted = await admin.admin.organization.projects.serviceAccounts.delete(account.id, {
        project_id: 'proj_local',
      });
      const afterRevoke = await createClient(minted)
        .models.list()
        .catch((error: unknown) => error);

      expect(account.object).toBe('organization.project.service_account');
      expect(account.role).toBe('member');
      expect(account.api_key?.object).toBe('organization.project.service_account.api_key');
      expect(minted.startsWith('sk-svcacct-')).toBe(true);
      expect(completion.choices).toHaveLength(1);
      expect(listed.data.map((item) => item.id)).toContain(account.id);
      expect(deleted).toEqual({
        object: 'organization.project.service_account.deleted',
        id: account.id,
        deleted: true,
      });
      expect(afterRevoke).toBeInstanceOf(AuthenticationError);
    });

    it('deletes one api key', async () => {
      const admin = createAdminClient();
      const projects = admin.admin.organization.projects;
      const account = await projects.serviceAccounts.create('proj_keys', { name: 'rotation' });
      const firstKey = account.api_key;
      const secondKey = await projects.serviceAccounts.apiKeys.create(account.id, {
        project_id: 'proj_keys',
        name: 'next',
      });

      const deleted = await projects.apiKeys.delete(firstKey?.id ?? '', {
        project_id: 'proj_keys',
      });
      const remaining = await projects.apiKeys.list('proj_keys');
      const revokedCall = await createClient(firstKey?.value)
        .models.list()
        .catch((error: unknown) => error);
      const secondCall = await createClient(secondKey.value).models.list();

      expect(deleted).toEqual({
        object: 'organization.project.api_key.deleted',
        id: firstKey?.id,
        deleted: true,
      });
      expect(remaining.data.map((key) => key.id)).toEqual([secondKey.id]);
      expect(remaining.data[0]?.redacted_value).not.toBe(secondKey.value);
      expect(revokedCall).toBeInstanceOf(AuthenticationError);
      expect(secondCall.data.length).toBeGreaterThan(0);
    });

    it('rejects non-admin key', async () => {
      const admin = createAdminClient('sk-test');

      const call = admin.admin.organization.projects.serviceAccounts.list('proj_local');

      await expect(call).rejects.toBeInstanceOf(AuthenticationError);
    });

    it('returns 404 for unknown service account', async () => {
      const admin = createAdminClient();

      const call = admin.admin.organization.projects.serviceAccounts.delete('svc_acct_missing', {
        project_id: 'proj_local',
      });

      await expect(call).rejects.toBeInstanceOf(NotFoundError);
    });

    it('rejects create without name', async () => {
      const response = await fetch(
        `${upstream.url}/v1/organization/projects/proj_local/service_accounts`,
        {
          method: 'POST',
          headers: { authorization: 'Bearer sk-admin-test', 'content-type': 'application/json' },
          body: '{}',
        },
      );
      const body = (await response.json()) as OpenAiErrorBody;

      expect(response.status).toBe(400);
      expect(body.error.param).toBe('name');
    });
  });
});

describe('upstream lifecycle', () => {
  it('rejects non-loopback host', async () => {
    await expect(startOpenAiUpstream({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    await expect(startOpenAiUpstream({ host: '10.1.2.3' })).rejects.toThrow(/loopback/);
  });

  it('close ends hanging, delayed and held requests', async () => {
    const upstream = await startOpenAiUpstream();
    const control = createUpstreamControl(upstream.url);
    const headers = { authorization: 'Bearer sk-test', 'content-type': 'application/json' };
    const streamBody = JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'one two three' }],
      stream: true,
    });

    await control.setBehaviour({ mode: 'hang', count: 1 });
    const hanging = fetch(`${upstream.url}/v1/models`, { headers }).catch(
      (error: unknown) => error,
    );
    await waitForRequestCount(control, 1);
    await control.setBehaviour({ mode: 'normal', delayMs: 60_000, count: 1 });
    const delayed = fetch(`${upstream.url}/v1/models`, { headers }).catch(
      (error: unknown) => error,
    );
    await waitForRequestCount(control, 2);
    await control.setBehaviour({ mode: 'normal', holdAfterFirstChunk: true });
    const heldResponse = await fetch(`${upstream.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: streamBody,
    });
    const reader = heldResponse.body?.getReader();
    const firstRead = await reader?.read();
    const heldRest = (async () => {
      for (let reads = 0; reads < 100; reads += 1) {
        if ((await reader?.read())?.done !== false) {
          return 'done';
        }
      }
      return 'too many reads';
    })().catch((error: unknown) => error);

    const closed = await settleWithin(upstream.close(), 2000);

    expect(closed).toBeUndefined();
    expect(firstRead?.done).toBe(false);
    expect(await hanging).toBeInstanceOf(Error);
    expect(await delayed).toBeInstanceOf(Error);
    expect(await heldRest).toBeInstanceOf(Error);
  });

  it('control client rejects remote url', () => {
    expect(() => createUpstreamControl('http://192.0.2.1:8080')).toThrow(/loopback/);
  });

  it('cli prints url and stops on SIGTERM', async () => {
    const mainPath = fileURLToPath(new URL('./main.ts', import.meta.url));
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', mainPath, '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const firstOutput = await settleWithin(
        once(child.stdout as NodeJS.ReadableStream, 'data'),
        10_000,
      );
      const line = firstOutput === 'timeout' ? '' : String(firstOutput[0]).trim();
      const url = /^openai-upstream listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];

      const response = await fetch(`${url}/v1/models`, {
        headers: { authorization: 'Bearer sk-test' },
      });
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const exit = await settleWithin(exited, 5000);

      expect(line).toMatch(/^openai-upstream listening on http:\/\/127\.0\.0\.1:\d+$/);
      expect(response.status).toBe(200);
      expect(exit === 'timeout' ? 'timeout' : exit[0]).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    }
  }, 20_000);
});
