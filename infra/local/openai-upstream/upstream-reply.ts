/**
 * A reply built before it is sent, so the behaviour under test (delays, held responses, resets) can
 * change how it reaches the client without changing what it contains.
 */
export type UpstreamReply = JsonReply | SseReply;

export interface JsonReply {
  kind: 'json';
  status: number;
  contentType: string;
  text: string;
  headers: Record<string, string>;
}

export interface SseReply {
  kind: 'sse';
  /** Serialised chunks that carry the role and the content pieces. */
  contentEvents: string[];
  /** Serialised chunks after the content: the finish reason and, if requested, the usage. */
  closingEvents: string[];
}

export function createJsonReply(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): JsonReply {
  return {
    kind: 'json',
    status,
    contentType: 'application/json',
    text: JSON.stringify(value),
    headers,
  };
}
