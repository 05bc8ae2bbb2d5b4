/**
 * The error model shared by the API and the SPA. Every error a client can act on has a
 * stable code; the HTTP status comes from the code.
 */
export const errorStatusByCode = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INSUFFICIENT_CREDITS: 402,
  ACCOUNT_DISABLED: 403,
  TENANT_SUSPENDED: 403,
  FORBIDDEN: 403,
  MODEL_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  USER_BALANCE_INSUFFICIENT: 409,
  POOL_INSUFFICIENT: 409,
  CREDIT_LIMIT_EXCEEDED: 409,
  SEAT_LIMIT_REACHED: 409,
  USER_EXISTS: 409,
  CONFLICT: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  DUPLICATE_REQUEST: 409,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  UPSTREAM_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof errorStatusByCode;

/** One problem with one input field; `field` is a dotted path such as `models.0`. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** The body of every platform error response. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: Record<string, unknown>;
  };
}

/**
 * An error whose code and message are safe to show to the caller. Anything thrown that is
 * not an `AppError` becomes a generic 500 and is only logged.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorStatusByCode[code];
    this.details = options.details;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details) body.error.details = this.details;
    return body;
  }
}

/** Builds the 400 for invalid input; the message names every field at fault. */
export function validationError(issues: FieldIssue[]): AppError {
  const message = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  return new AppError('VALIDATION_FAILED', message, { details: { fields: issues } });
}

/** Returns true when `value` has the shape of a platform error body. */
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/**
 * The message of 409 `USER_EXISTS`. Emails are unique across the whole user pool, so the
 * account may belong to another tenant, which the inviting admin cannot see.
 */
export const USER_EXISTS_MESSAGE =
  'This email already has a Creditgate account, in this tenant or another. Invite another address for the person.';
