import { describe, expect, it } from 'vitest';
import { ApiError, parseErrorBody, readErrorResponse, toApiError } from './api-error';

describe('parseErrorBody', () => {
  it('reads the platform shape with field issues', () => {
    const error = parseErrorBody(400, {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'models.0: must be a model id; seatLimit: must be at least 1',
        details: {
          fields: [
            { field: 'models.0', message: 'must be a model id' },
            { field: 'seatLimit', message: 'must be at least 1' },
            { field: 42 },
          ],
        },
      },
    });

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('models.0: must be a model id; seatLimit: must be at least 1');
    expect(error.fieldIssues).toHaveLength(2);
    expect(error.messageFor('models')).toBe('must be a model id');
    expect(error.messageFor('seatLimit')).toBe('must be at least 1');
    expect(error.messageFor('seat')).toBeUndefined();
  });

  it('reads the OpenAI shape of the AI routes', () => {
    const error = parseErrorBody(402, {
      error: {
        message: 'Your balance does not cover this request',
        type: 'insufficient_quota',
        code: 'INSUFFICIENT_CREDITS',
        param: null,
      },
    });

    expect(error.code).toBe('INSUFFICIENT_CREDITS');
    expect(error.message).toBe('Your balance does not cover this request');
  });

  it('reads the OpenAI shape without a code', () => {
    const error = parseErrorBody(500, {
      error: { message: 'Upstream broke', type: 'server_error' },
    });

    expect(error.code).toBe('HTTP_500');
    expect(error.message).toBe('Upstream broke');
  });

  it('reads the Cognito shape and strips the type prefix', () => {
    const error = parseErrorBody(400, {
      __type: 'com.amazonaws.cognito#NotAuthorizedException',
      message: 'Incorrect username or password.',
    });

    expect(error.code).toBe('NotAuthorizedException');
    expect(error.message).toBe('Incorrect username or password.');
  });

  it('falls back to the exception name for an empty Cognito message', () => {
    const error = parseErrorBody(400, { __type: 'InvalidPasswordException', message: '' });

    expect(error.message).toBe('InvalidPasswordException');
  });

  it('falls back to the status for unknown bodies', () => {
    const error = parseErrorBody(502, '<html>Bad gateway</html>');

    expect(error.code).toBe('HTTP_502');
    expect(error.message).toBe('The request failed with HTTP 502.');
  });
});

describe('readErrorResponse', () => {
  it('parses a JSON body', async () => {
    const response = new Response(
      JSON.stringify({ error: { code: 'USER_EXISTS', message: 'A user with this email exists' } }),
      { status: 409 },
    );

    const error = await readErrorResponse(response);

    expect(error.code).toBe('USER_EXISTS');
    expect(error.status).toBe(409);
  });

  it('parses a body that is not JSON', async () => {
    const error = await readErrorResponse(new Response('Service Unavailable', { status: 503 }));

    expect(error.code).toBe('HTTP_503');
  });
});

describe('toApiError', () => {
  it('keeps an ApiError', () => {
    const original = new ApiError(403, 'FORBIDDEN', 'Not allowed');

    expect(toApiError(original)).toBe(original);
  });

  it('turns a fetch TypeError into NETWORK_ERROR', () => {
    const error = toApiError(new TypeError('Failed to fetch'));

    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toBe('The server could not be reached. Try again.');
  });

  it('keeps the message of another error', () => {
    expect(toApiError(new Error('Cognito returned no tokens.')).message).toBe(
      'Cognito returned no tokens.',
    );
  });
});
