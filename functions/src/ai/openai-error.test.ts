import { AppError, validationError } from '@creditgate/shared';
import { describe, expect, it } from 'vitest';
import { toOpenAiError } from './openai-error';

describe('toOpenAiError', () => {
  it('maps validation error with param', () => {
    const error = validationError([{ field: 'messages.0.role', message: 'must be a string' }]);

    const result = toOpenAiError(error);

    expect(result.status).toBe(400);
    expect(result.code).toBe('VALIDATION_FAILED');
    expect(result.body).toEqual({
      error: {
        message: 'messages.0.role: must be a string',
        type: 'invalid_request_error',
        param: 'messages.0.role',
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'messages.0.role', message: 'must be a string' }] },
      },
    });
  });

  it('keeps upstream status out of details', () => {
    const error = new AppError('UPSTREAM_ERROR', 'The AI provider failed with status 401', {
      details: { upstreamStatus: 401 },
    });

    expect(toOpenAiError(error).body.error).not.toHaveProperty('details');
  });

  it('keeps details of a duplicate request', () => {
    const error = new AppError('DUPLICATE_REQUEST', 'Already used by req_1', {
      details: { requestId: 'req_1', cost: 42 },
    });

    const result = toOpenAiError(error);

    expect(result.status).toBe(409);
    expect(result.body.error.details).toEqual({ requestId: 'req_1', cost: 42 });
  });

  it('maps status to OpenAI error type', () => {
    const cases = [
      ['UNAUTHENTICATED', 'authentication_error'],
      ['INSUFFICIENT_CREDITS', 'insufficient_quota'],
      ['MODEL_NOT_ALLOWED', 'permission_error'],
      ['NOT_FOUND', 'not_found_error'],
      ['DUPLICATE_REQUEST', 'conflict_error'],
      ['IDEMPOTENCY_KEY_REUSED', 'invalid_request_error'],
      ['RATE_LIMITED', 'rate_limit_error'],
      ['UPSTREAM_ERROR', 'server_error'],
      ['UPSTREAM_TIMEOUT', 'server_error'],
    ] as const;

    for (const [code, type] of cases) {
      expect(toOpenAiError(new AppError(code, 'message')).body.error.type, code).toBe(type);
    }
  });

  it('keeps status of AppError', () => {
    const result = toOpenAiError(new AppError('UPSTREAM_TIMEOUT', 'Upstream timed out'));

    expect(result.status).toBe(504);
  });

  it('sets null param without fields', () => {
    const result = toOpenAiError(new AppError('INSUFFICIENT_CREDITS', 'Balance too low'));

    expect(result.body.error.param).toBeNull();
  });

  it('hides unexpected error', () => {
    const error = new Error('connect ECONNREFUSED 10.0.0.5:443 with key sk-secret');

    const result = toOpenAiError(error);

    expect(result.status).toBe(500);
    expect(result.code).toBe('INTERNAL_ERROR');
    expect(result.body).toEqual({
      error: {
        message: 'Internal error; try again later',
        type: 'server_error',
        param: null,
        code: 'INTERNAL_ERROR',
      },
    });
  });

  it('hides non-error throwables', () => {
    expect(toOpenAiError('text').status).toBe(500);
    expect(toOpenAiError(undefined).status).toBe(500);
  });
});
