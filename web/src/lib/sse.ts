/** One item of a server-sent event stream. */
export type SseEvent =
  | { kind: 'data'; data: string }
  /** A comment line (`: text`), which SSE clients ignore but Creditgate uses for receipts. */
  | { kind: 'comment'; text: string };

/**
 * Reads a server-sent event stream with `body.getReader()` and yields each event as soon as
 * its terminating blank line arrives, and each comment line as soon as the line is complete.
 * Multiple `data:` lines of one event are joined with `\n`, as the SSE format specifies, and
 * `event:`, `id:` and `retry:` fields are ignored. Cancels the reader if the caller stops
 * early.
 */
export async function* readSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let dataLines: string[] = [];
  let isDone = false;

  try {
    while (!isDone) {
      const { value, done } = await reader.read();
      isDone = done;
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (done && buffer !== '') buffer += '\n';

      let lineEnd = findLineEnd(buffer);
      while (lineEnd) {
        const line = buffer.slice(0, lineEnd.index);
        buffer = buffer.slice(lineEnd.index + lineEnd.length);
        lineEnd = findLineEnd(buffer);

        if (line === '') {
          if (dataLines.length > 0) yield { kind: 'data', data: dataLines.join('\n') };
          dataLines = [];
        } else if (line.startsWith(':')) {
          yield { kind: 'comment', text: stripOneSpace(line.slice(1)) };
        } else if (line === 'data' || line.startsWith('data:')) {
          dataLines.push(stripOneSpace(line.slice(5)));
        }
      }
    }
    // A stream that ends without the final blank line still delivers its last event.
    if (dataLines.length > 0) yield { kind: 'data', data: dataLines.join('\n') };
  } finally {
    if (!isDone) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Finds the first line break (`\r\n`, `\n` or `\r`). A `\r` at the end may be half of `\r\n`. */
function findLineEnd(text: string): { index: number; length: number } | undefined {
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\n') return { index, length: 1 };
    if (char === '\r') {
      if (index + 1 === text.length) return undefined;
      return { index, length: text[index + 1] === '\n' ? 2 : 1 };
    }
  }
  return undefined;
}

function stripOneSpace(value: string): string {
  return value.startsWith(' ') ? value.slice(1) : value;
}
