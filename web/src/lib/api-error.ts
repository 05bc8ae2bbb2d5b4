import { type FieldIssue, isErrorBody } from '@creditgate/shared';

/**
 * A failed request, whichever server rejected it. `code` is the platform error code, the
 * code of an OpenAI-shaped error or Cognito's exception name. It is `HTTP_<status>` for a
 * body of unknown shape and `NETWORK_ERROR` when no server was reached. `message` is safe
 * to show to the user.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Fields named by a 400 `VALIDATION_FAILED`, or empty for other errors. */
  readonly fieldIssues: FieldIssue[];

  constructor(
    status: number,
    code: string,
    message: string,
    options: { fieldIssues?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fieldIssues = options.fieldIssues ?? [];
  }

  /** Returns the message of the first issue on `field` or on one of its items (`models.0`). */
  messageFor(field: string): string | undefined {
    return this.fieldIssues.find(
      (issue) => issue.field === field || issue.field.startsWith(`${field}.`),
    )?.message;
  }
}

/**
 * Parses an error response body into an `ApiError`. This is the SPA's one error parser, and
 * it reads the three shapes the SPA receives:
 * - the platform's `{error: {code, message, details?}}`, with `details.fields` for 400s,
 * - OpenAI's `{error: {message, type, code, param}}` from the AI routes,
 * - Cognito's `{__type, message}`, whose `__type` may carry a `prefix#` before the name.
 */
export function parseErrorBody(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) {
    const fields = body.error.details?.fields;
    return new ApiError(status, body.error.code, body.error.message, {
      fieldIssues: Array.isArray(fields) ? fields.filter(isFieldIssue) : [],
    });
  }
  if (isRecord(body) && isRecord(body.error) && typeof body.error.message === 'string') {
    const code = typeof body.error.code === 'string' ? body.error.code : `HTTP_${status}`;
    return new ApiError(status, code, body.error.message);
  }
  if (isRecord(body) && typeof body.__type === 'string') {
    const code = body.__type.split('#').at(-1) ?? body.__type;
    const message = typeof body.message === 'string' && body.message ? body.message : code;
    return new ApiError(status, code, message);
  }
  return new ApiError(status, `HTTP_${status}`, `The request failed with HTTP ${status}.`);
}

/** Reads a failed response's body and parses it with `parseErrorBody`. */
export async function readErrorResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON, such as a proxy's HTML page: parseErrorBody falls back to the status.
  }
  return parseErrorBody(response.status, body);
}

/**
 * Turns anything a request threw into an `ApiError`. `fetch` rejects with a `TypeError`
 * when the server cannot be reached, which becomes `NETWORK_ERROR`.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof TypeError) {
    return new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached. Try again.', {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(0, 'CLIENT_ERROR', message, { cause: error });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return isRecord(value) && typeof value.field === 'string' && typeof value.message === 'string';
}
