import { describe, expect, it } from 'vitest';
import { readChatStream } from './chat-stream';

function streamOf(lines: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const line of lines) controller.enqueue(encoder.encode(line));
      controller.close();
    },
  });
}

const chunk = (content: string, index = 0) =>
  `data: ${JSON.stringify({ choices: [{ index, delta: { content }, finish_reason: null }] })}\n\n`;
const receipt = ': creditgate {"requestId":"req_01","cost":12,"balance":4988}\n\n';

describe('readChatStream', () => {
  it('passes deltas in order and returns the receipt', async () => {
    const deltas: string[] = [];

    const result = await readChatStream(
      streamOf([chunk('Echo:'), ': keep-alive\n\n', chunk(' hello'), receipt, 'data: [DONE]\n\n']),
      (delta) => deltas.push(delta),
    );

    expect(deltas).toEqual(['Echo:', ' hello']);
    expect(result.receipt).toEqual({ requestId: 'req_01', cost: 12, balance: 4988 });
    expect(result.error).toBeUndefined();
  });

  it('skips other choices, empty deltas and usage chunks', async () => {
    const deltas: string[] = [];
    const usage = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3 } })}\n\n`;
    const finish = `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`;

    await readChatStream(streamOf([chunk('a'), chunk('b', 1), finish, usage]), (delta) =>
      deltas.push(delta),
    );

    expect(deltas).toEqual(['a']);
  });

  it('returns an error event together with the receipt after it', async () => {
    const errorEvent = `data: ${JSON.stringify({
      error: {
        message: 'The AI provider stopped sending data',
        type: 'server_error',
        code: 'UPSTREAM_TIMEOUT',
        param: null,
      },
    })}\n\n`;

    const result = await readChatStream(
      streamOf([chunk('Echo:'), errorEvent, receipt, 'data: [DONE]\n\n']),
      () => undefined,
    );

    expect(result.error?.code).toBe('UPSTREAM_TIMEOUT');
    expect(result.error?.message).toBe('The AI provider stopped sending data');
    expect(result.receipt?.cost).toBe(12);
  });

  it('stops at [DONE]', async () => {
    const deltas: string[] = [];

    await readChatStream(streamOf([chunk('a'), 'data: [DONE]\n\n', chunk('late')]), (delta) =>
      deltas.push(delta),
    );

    expect(deltas).toEqual(['a']);
  });

  it('ignores a malformed receipt', async () => {
    const result = await readChatStream(
      streamOf([': creditgate {"cost":"free"}\n\n', 'data: [DONE]\n\n']),
      () => undefined,
    );

    expect(result.receipt).toBeUndefined();
  });
});
