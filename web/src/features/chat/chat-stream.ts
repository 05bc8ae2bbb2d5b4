import { type ApiError, parseErrorBody } from '../../lib/api-error';
import { readSseEvents } from '../../lib/sse';

/** What a streamed AI call cost, from the `: creditgate {...}` comment before `[DONE]`. */
export interface ChatReceipt {
  requestId: string;
  cost: number;
  balance: number;
}

/** How a stream ended: the receipt if one came, and the error event if one came. */
export interface ChatStreamResult {
  receipt: ChatReceipt | undefined;
  error: ApiError | undefined;
}

const RECEIPT_PREFIX = 'creditgate ';

/**
 * Reads a streamed chat completion and calls `onDelta` with each piece of the first
 * choice's content as it arrives. An error event in the stream (OpenAI's `{error: {...}}`
 * shape, sent when upstream fails after the stream started) does not stop the reading,
 * because the receipt for what was used still follows it. Rejects only when the connection
 * itself fails.
 */
export async function readChatStream(
  body: ReadableStream<Uint8Array>,
  onDelta: (text: string) => void,
): Promise<ChatStreamResult> {
  let receipt: ChatReceipt | undefined;
  let error: ApiError | undefined;

  for await (const event of readSseEvents(body)) {
    if (event.kind === 'comment') {
      if (event.text.startsWith(RECEIPT_PREFIX)) {
        receipt = parseReceipt(event.text.slice(RECEIPT_PREFIX.length)) ?? receipt;
      }
      continue;
    }
    if (event.data === '[DONE]') break;

    const chunk = parseJson(event.data);
    if (isRecord(chunk) && chunk.error !== undefined) {
      // The stream started with HTTP 200, so use 502, the status of the proxy's upstream errors.
      error = parseErrorBody(502, chunk);
      continue;
    }
    const content = readFirstDelta(chunk);
    if (content) onDelta(content);
  }

  return { receipt, error };
}

function readFirstDelta(chunk: unknown): string | undefined {
  if (!isRecord(chunk) || !Array.isArray(chunk.choices)) return undefined;
  const first = chunk.choices.find((choice) => isRecord(choice) && (choice.index ?? 0) === 0);
  if (!isRecord(first) || !isRecord(first.delta)) return undefined;
  return typeof first.delta.content === 'string' ? first.delta.content : undefined;
}

function parseReceipt(text: string): ChatReceipt | undefined {
  const value = parseJson(text);
  return isReceipt(value) ? value : undefined;
}

function isReceipt(value: unknown): value is ChatReceipt {
  return (
    isRecord(value) &&
    typeof value.requestId === 'string' &&
    typeof value.cost === 'number' &&
    typeof value.balance === 'number'
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
