import { AppError, type ErrorCode } from '@creditgate/shared';

/**
 * OpenAI's error body, which OpenAI clients parse into their own error classes. `details` is
 * Creditgate's addition, with the client-facing fields of the error's details, such as the
 * first call's request id and cost of a `DUPLICATE_REQUEST`. OpenAI clients keep unknown
 * fields.
 */
export interface OpenAiErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string;
    details?: Record<string, unknown>;
  };
}

/**
 * Detail fields that AI clients receive. Others, such as the upstream's status, are for the
 * logs, so a new detail stays internal until it is added here.
 */
const CLIENT_DETAIL_FIELDS = [
  'fields',
  'requestId',
  'cost',
  'required',
  'balance',
  'limit',
  'value',
  'retryAfter',
] as const;

const typeByStatus: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_quota',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** Converts any error into a status and OpenAI-shaped body; a non-`AppError` is a 500. */
export function toOpenAiError(error: unknown): {
  status: number;
  body: OpenAiErrorBody;
  code: ErrorCode;
} {
  if (!(error instanceof AppError)) {
    return {
      status: 500,
      code: 'INTERNAL_ERROR',
      body: {
        error: {
          message: 'Internal error; try again later',
          type: 'server_error',
          param: null,
          code: 'INTERNAL_ERROR',
        },
      },
    };
  }
  const fields = error.details?.fields as { field: string }[] | undefined;
  const details = clientDetailsOf(error.details);
  return {
    status: error.status,
    code: error.code,
    body: {
      error: {
        message: error.message,
        type: typeByStatus[error.status] ?? 'server_error',
        param: fields?.[0]?.field ?? null,
        code: error.code,
        ...(details && { details }),
      },
    },
  };
}

function clientDetailsOf(
  details: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!details) return undefined;
  const clientDetails = Object.fromEntries(
    CLIENT_DETAIL_FIELDS.filter((name) => details[name] !== undefined).map((name) => [
      name,
      details[name],
    ]),
  );
  return Object.keys(clientDetails).length > 0 ? clientDetails : undefined;
}
