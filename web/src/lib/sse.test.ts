import { describe, expect, it } from 'vitest';
import { readSseEvents, type SseEvent } from './sse';

/** A body that delivers `pieces` as separate reads, the way a network stream may split them. */
function streamOf(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function collect(pieces: string[]): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSseEvents(streamOf(pieces))) events.push(event);
  return events;
}

describe('readSseEvents', () => {
  it('yields data events and comments in order', async () => {
    const events = await collect(['data: {"a":1}\n\n', ': keep-alive\n\n', 'data: [DONE]\n\n']);

    expect(events).toEqual([
      { kind: 'data', data: '{"a":1}' },
      { kind: 'comment', text: 'keep-alive' },
      { kind: 'data', data: '[DONE]' },
    ]);
  });

  it('joins events split across reads', async () => {
    const events = await collect(['da', 'ta: hel', 'lo\n', '\n: credit', 'gate {}\n\n']);

    expect(events).toEqual([
      { kind: 'data', data: 'hello' },
      { kind: 'comment', text: 'creditgate {}' },
    ]);
  });

  it('accepts CRLF and CR line breaks', async () => {
    const events = await collect(['data: one\r', '\n\r\ndata: two\r\r']);

    expect(events).toEqual([
      { kind: 'data', data: 'one' },
      { kind: 'data', data: 'two' },
    ]);
  });

  it('joins multi-line data and ignores other fields', async () => {
    const events = await collect(['event: message\nid: 7\ndata: a\ndata:b\nretry: 10\n\n']);

    expect(events).toEqual([{ kind: 'data', data: 'a\nb' }]);
  });

  it('yields a last event without its blank line', async () => {
    expect(await collect(['data: tail'])).toEqual([{ kind: 'data', data: 'tail' }]);
  });

  it('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('data: €uro\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    for await (const event of readSseEvents(stream)) events.push(event);

    expect(events).toEqual([{ kind: 'data', data: '€uro' }]);
  });

  it('cancels the body when the reader stops early', async () => {
    let isCancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: first\n\n'));
      },
      cancel() {
        isCancelled = true;
      },
    });

    for await (const event of readSseEvents(stream)) {
      expect(event).toEqual({ kind: 'data', data: 'first' });
      break;
    }

    expect(isCancelled).toBe(true);
  });
});
