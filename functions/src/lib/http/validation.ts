import { type FieldIssue, validationError } from '@creditgate/shared';
import type { z } from 'zod';

/** Maximum accepted body size in bytes for platform routes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Parses a JSON request body; invalid JSON or a missing body is a 400 naming `body`. */
export function parseJsonBody(body: string | null, isBase64Encoded: boolean): unknown {
  if (body === null || body === '')
    throw validationError([{ field: 'body', message: 'is required' }]);
  const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw validationError([{ field: 'body', message: `must be at most ${MAX_BODY_BYTES} bytes` }]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw validationError([{ field: 'body', message: 'must be valid JSON' }]);
  }
}

/** Validates `input` against `schema`, turning every issue into a named field. */
export function validate<T extends z.ZodType>(
  schema: T,
  input: unknown,
  fieldPrefix = '',
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(
    result.error.issues.flatMap((issue) => toFieldIssues(issue, input, fieldPrefix)),
  );
}

function toFieldIssues(issue: z.core.$ZodIssue, input: unknown, fieldPrefix: string): FieldIssue[] {
  const path = [fieldPrefix, ...issue.path.map(String)].filter((part) => part !== '');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: [...path, key].join('.'),
      message: 'is not a known field',
    }));
  }
  const field = path.length > 0 ? path.join('.') : 'body';
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
    return [{ field, message: 'is required' }];
  }
  return [{ field, message: issue.message }];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
