/** The error body OpenAI's API returns; clients pick the error class by HTTP status. */
export interface OpenAiErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}

/** An error that becomes an OpenAI-shaped response with its HTTP status. */
export class OpenAiHttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;

  constructor(
    status: number,
    message: string,
    details: { type?: string; param?: string | null; code?: string | null } = {},
  ) {
    super(message);
    this.name = 'OpenAiHttpError';
    this.status = status;
    this.type = details.type ?? 'invalid_request_error';
    this.param = details.param ?? null;
    this.code = details.code ?? null;
  }

  toBody(): OpenAiErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }
}

/** Builds the error a simulated failure sends when the test gives no body of its own. */
export function createSimulatedErrorBody(status: number): OpenAiErrorBody {
  const message = `Simulated HTTP ${status} response from the local OpenAI upstream.`;
  if (status === 401) {
    return new OpenAiHttpError(status, message, { code: 'invalid_api_key' }).toBody();
  }
  if (status === 429) {
    return new OpenAiHttpError(status, message, {
      type: 'requests',
      code: 'rate_limit_exceeded',
    }).toBody();
  }
  if (status >= 500) {
    return new OpenAiHttpError(status, message, { type: 'server_error' }).toBody();
  }
  return new OpenAiHttpError(status, message).toBody();
}

export function createMissingParameterError(param: string): OpenAiHttpError {
  return new OpenAiHttpError(400, `Missing required parameter: '${param}'.`, {
    param,
    code: 'missing_required_parameter',
  });
}

export function createInvalidTypeError(param: string, expected: string): OpenAiHttpError {
  return new OpenAiHttpError(400, `Invalid type for '${param}': expected ${expected}.`, {
    param,
    code: 'invalid_type',
  });
}

export function createInvalidValueError(param: string, message: string): OpenAiHttpError {
  return new OpenAiHttpError(400, `Invalid '${param}': ${message}`, {
    param,
    code: 'invalid_value',
  });
}

/** Builds the 404 OpenAI sends for a path or method it does not serve. */
export function createInvalidUrlError(method: string, path: string): OpenAiHttpError {
  return new OpenAiHttpError(404, `Invalid URL (${method} ${path})`);
}
