import type { IncomingMessage } from 'node:http';

/** Largest request body read, in bytes; larger bodies get a 413. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export type ParsedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid-json' }
  | { kind: 'too-large' };

/**
 * Reads and parses a request body. A body over `MAX_BODY_BYTES` is drained without being
 * kept, so the caller can still send its 413 on the same connection.
 */
export async function readJsonBody(request: IncomingMessage): Promise<ParsedBody> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request) {
    const buffer = part as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) {
      parts.push(buffer);
    }
  }
  if (size > MAX_BODY_BYTES) {
    return { kind: 'too-large' };
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text.trim() === '') {
    return { kind: 'empty' };
  }
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid-json' };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
