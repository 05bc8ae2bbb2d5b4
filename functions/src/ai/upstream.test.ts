import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { AppError } from '@creditgate/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ClientGoneError,
  callUpstream,
  readSseData,
  readUpstreamText,
  redactKeys,
  UpstreamResponse,
  UpstreamWatchdog,
  upstreamFailure,
} from './upstream';

const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  UpstreamResponse.fromText(status, JSON.stringify(body), {
    'content-type': 'application/json',
    ...headers,
  });

const streamOf = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)));

describe('upstreamFailure', () => {
  it('passes 400 message and param on', async () => {
    const response = jsonResponse(400, {
      error: { message: "Invalid 'top_p'", param: 'top_p', code: 'invalid_value' },
    });

    const error = await upstreamFailure(response, 'sk-test-key-123456');

    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe("Invalid 'top_p'");
    expect(error.details?.fields).toEqual([{ field: 'top_p', message: "Invalid 'top_p'" }]);
  });

  it('removes the key from a passed-on message', async () => {
    const apiKey = 'sk-proj-abcdefghijklmnop';
    const response = jsonResponse(400, {
      error: { message: `Key ${apiKey} may not use this model; other key sk-zyxwvutsrq9876` },
    });

    const error = await upstreamFailure(response, apiKey);

    expect(error.message).toBe('Key [redacted] may not use this model; other key [redacted]');
  });

  it('maps 401 to a generic 502', async () => {
    const apiKey = 'sk-proj-abcdefghijklmnop';
    const response = jsonResponse(401, { error: { message: `Incorrect API key ${apiKey}` } });

    const error = await upstreamFailure(response, apiKey);

    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).not.toContain(apiKey);
  });

  it('maps 429 to RATE_LIMITED with Retry-After', async () => {
    const response = jsonResponse(429, { error: { message: 'Slow down' } }, { 'retry-after': '9' });

    const error = await upstreamFailure(response);

    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details?.retryAfter).toBe('9');
  });

  it('maps insufficient_quota 429 to UPSTREAM_ERROR', async () => {
    const response = jsonResponse(429, {
      error: { message: 'You exceeded your current quota', code: 'insufficient_quota' },
    });

    const error = await upstreamFailure(response);

    expect(error.code).toBe('UPSTREAM_ERROR');
  });

  it('maps a non-JSON 503 to UPSTREAM_ERROR', async () => {
    const error = await upstreamFailure(UpstreamResponse.fromText(503, '<html>busy</html>'));

    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toBe('The AI provider failed with status 503');
  });
});

describe('redactKeys', () => {
  it('keeps text without keys', () => {
    expect(redactKeys('Invalid value for messages', 'sk-abcdefghijkl')).toBe(
      'Invalid value for messages',
    );
  });
});

describe('UpstreamWatchdog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts after idle time without activity', () => {
    vi.useFakeTimers();
    const watchdog = new UpstreamWatchdog({ idleMs: 1_000, totalMs: 10_000 });

    vi.advanceTimersByTime(800);
    watchdog.recordActivity();
    vi.advanceTimersByTime(800);
    expect(watchdog.controller.signal.aborted).toBe(false);
    vi.advanceTimersByTime(200);

    expect(watchdog.controller.signal.aborted).toBe(true);
    const error = watchdog.explain(new Error('aborted'), 'unused');
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      message: expect.stringMatching(/1 s/),
    });
    watchdog.dispose();
  });

  it('aborts at total time despite activity', () => {
    vi.useFakeTimers();
    const watchdog = new UpstreamWatchdog({ idleMs: 1_000, totalMs: 3_000 });

    for (let step = 0; step < 5; step++) {
      vi.advanceTimersByTime(700);
      watchdog.recordActivity();
    }

    expect(watchdog.explain(new Error('aborted'), 'unused')).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      message: expect.stringMatching(/within 3 s/),
    });
    watchdog.dispose();
  });

  it('aborts when the client goes away', () => {
    const clientGone = new AbortController();
    const watchdog = new UpstreamWatchdog({
      idleMs: 1_000,
      totalMs: 3_000,
      clientGone: clientGone.signal,
    });

    clientGone.abort();

    expect(watchdog.isClientGone).toBe(true);
    expect(watchdog.explain(new Error('aborted'), 'unused')).toBeInstanceOf(ClientGoneError);
    watchdog.dispose();
  });

  it('wraps other failures as UPSTREAM_ERROR', () => {
    const watchdog = new UpstreamWatchdog({ idleMs: 1_000, totalMs: 3_000 });

    const error = watchdog.explain(new TypeError('terminated'), 'The stream broke off');

    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', message: 'The stream broke off' });
    watchdog.dispose();
  });
});

describe('readSseData', () => {
  it('yields data split across chunks and reports bytes', async () => {
    const onBytes = vi.fn();
    const data: string[] = [];

    for await (const payload of readSseData(
      streamOf(': comment\n\ndata: {"a"', ':1}\n\n', 'data: [DONE]\n\n'),
      onBytes,
    )) {
      data.push(payload);
    }

    expect(data).toEqual(['{"a":1}', '[DONE]']);
    expect(onBytes).toHaveBeenCalledTimes(3);
  });
});

describe('readUpstreamText', () => {
  it('joins multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('{"text":"é"}');
    const body = Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]);
    const onBytes = vi.fn();

    expect(await readUpstreamText(body, onBytes)).toBe('{"text":"é"}');
    expect(onBytes).toHaveBeenCalledTimes(2);
  });
});

describe('UpstreamResponse', () => {
  it('returns the same text twice', async () => {
    const response = new UpstreamResponse(429, {}, streamOf('{"error":', '{"code":"x"}}'));

    expect(await response.text()).toBe('{"error":{"code":"x"}}');
    expect(await response.text()).toBe('{"error":{"code":"x"}}');
    expect(response.body.readableEnded).toBe(true);
  });

  it('reads headers in any case', () => {
    const response = new UpstreamResponse(200, { 'retry-after': '7' }, streamOf(''));

    expect(response.ok).toBe(true);
    expect(response.header('Retry-After')).toBe('7');
    expect(response.header('x-missing')).toBeUndefined();
  });

  it('returns a repeated header first value', () => {
    const response = new UpstreamResponse(200, { 'set-cookie': ['a=1', 'b=2'] }, streamOf(''));

    expect(response.header('set-cookie')).toBe('a=1');
  });

  it('drains a discarded body to its end', async () => {
    const response = UpstreamResponse.fromText(401, '{"error":{}}');

    response.discard();
    await new Promise((resolve) => response.body.once('end', resolve));

    expect(response.ok).toBe(false);
    expect(response.body.readableEnded).toBe(true);
  });

  it('throws on a broken body', async () => {
    const body = new Readable({ read() {} });
    const response = new UpstreamResponse(200, {}, body);
    body.push('{"partial"');
    setImmediate(() => body.destroy(new Error('aborted')));

    await expect(response.text()).rejects.toThrow('aborted');
  });
});

describe('callUpstream', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('calls onSent before the response', async () => {
    const events: string[] = [];
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        events.push('received');
        response.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    vi.stubEnv('OPENAI_BASE_URL', `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    try {
      const response = await callUpstream({
        path: '/chat/completions',
        apiKey: 'sk-test',
        body: { model: 'gpt-4o-mini' },
        controller: new AbortController(),
        onSent: () => events.push('sent'),
      });
      events.push('responded');

      expect(await response.text()).toBe('{"ok":true}');
      expect(events.filter((event) => event === 'sent')).toHaveLength(1);
      expect(events.indexOf('sent')).toBeLessThan(events.indexOf('responded'));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
