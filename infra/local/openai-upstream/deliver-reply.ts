import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Behaviour, HeldResponses } from './control.js';
import type { UpstreamReply } from './upstream-reply.js';

export interface DeliveryOptions {
  behaviour: Behaviour;
  heldResponses: HeldResponses;
  /** Aborts when the client disconnects or the server closes. */
  signal: AbortSignal;
  headers: Record<string, string>;
}

/**
 * Sends a reply while applying the behaviour's hold, chunk delays and mid-stream reset.
 * Rejects with the signal's reason when the client goes away or the server closes.
 */
export async function deliverReply(
  response: ServerResponse,
  reply: UpstreamReply,
  options: DeliveryOptions,
): Promise<void> {
  const { behaviour, heldResponses, signal } = options;
  const isResetMidStream = behaviour.mode === 'reset-mid-stream';

  if (reply.kind === 'json') {
    response.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': String(Buffer.byteLength(reply.text)),
      ...reply.headers,
      ...options.headers,
    });
    if (isResetMidStream) {
      // Content-Length promises the whole body, so the client sees the cut as an error.
      await writeChunk(response, reply.text.slice(0, Math.floor(reply.text.length / 2)), signal);
      response.destroy();
      return;
    }
    if (behaviour.holdAfterFirstChunk === true) {
      response.flushHeaders();
      await heldResponses.wait(signal);
    }
    response.end(reply.text);
    return;
  }

  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...options.headers,
  });
  const events = isResetMidStream
    ? reply.contentEvents
    : [...reply.contentEvents, ...reply.closingEvents];
  for (const [index, event] of events.entries()) {
    if (index > 0 && behaviour.chunkDelayMs !== undefined && behaviour.chunkDelayMs > 0) {
      await sleep(behaviour.chunkDelayMs, undefined, { signal });
    }
    await writeChunk(response, `data: ${event}\n\n`, signal);
    if (index === 0 && behaviour.holdAfterFirstChunk === true) {
      await heldResponses.wait(signal);
    }
  }
  if (isResetMidStream) {
    // Closing without the last chunk of the chunked body makes the client see a cut stream.
    response.destroy();
    return;
  }
  await writeChunk(response, 'data: [DONE]\n\n', signal);
  response.end();
}

/** Writes a chunk and resolves once it is handed to the socket. */
function writeChunk(response: ServerResponse, text: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    response.write(text, (error) => {
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    });
  });
}
