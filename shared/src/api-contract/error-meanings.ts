import type { ErrorCode } from '../errors';

/** The meaning of each error code for the caller, shown beside the code in the OpenAPI document. */
export const errorMeanings: Readonly<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'a parameter or body field is invalid; `details.fields` names each one',
  UNAUTHENTICATED: 'the token is missing, invalid, expired or revoked, or its user was deleted',
  INSUFFICIENT_CREDITS: "the caller's balance does not cover the call's estimate",
  ACCOUNT_DISABLED: "the caller's account is disabled",
  TENANT_SUSPENDED: "the caller's tenant is suspended",
  FORBIDDEN: "the caller's role may not use this route",
  MODEL_NOT_ALLOWED: "the tenant's plan does not include the model",
  NOT_FOUND: 'the resource does not exist or belongs to another tenant',
  METHOD_NOT_ALLOWED: 'the path exists but not with this method',
  USER_BALANCE_INSUFFICIENT: 'the user holds fewer credits than the reclaim asks for',
  POOL_INSUFFICIENT: "the tenant's pool holds fewer credits than the allocation asks for",
  CREDIT_LIMIT_EXCEEDED: "the grant would take the tenant's unspent credits past its credit limit",
  SEAT_LIMIT_REACHED: "the tenant's plan has no free seat",
  USER_EXISTS: 'a user with this email exists, in this or another tenant',
  CONFLICT: 'the resource is in a state that does not allow the change',
  IDEMPOTENCY_IN_PROGRESS: 'a request with this `Idempotency-Key` is still running',
  DUPLICATE_REQUEST: 'an AI call with this `Idempotency-Key` already ran; nothing was charged',
  PAYLOAD_TOO_LARGE: 'the request body is too large',
  IDEMPOTENCY_KEY_REUSED: 'this `Idempotency-Key` was used with another body',
  RATE_LIMITED: 'too many requests; wait for `Retry-After` seconds',
  INTERNAL_ERROR: 'an unexpected error; the body reveals nothing more',
  UPSTREAM_ERROR: 'the AI provider or the key store failed',
  SERVICE_UNAVAILABLE: 'the service is not available; try again later',
  UPSTREAM_TIMEOUT: 'the AI provider did not respond in time',
};
