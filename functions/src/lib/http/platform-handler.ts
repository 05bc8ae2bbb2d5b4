import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { AppError, findRoute, type HttpMethod, type RouteDefinition } from '@creditgate/shared';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { toOpenAiError } from '../../ai/openai-error';
import { authorizeRequest, type Caller } from '../auth/authenticate';
import { logger } from '../logger';
import { metrics, tracer } from '../observability';
import { jsonResponse } from './response';
import { parseJsonBody, validate } from './validation';

/** The input of a platform route's service call. */
export interface PlatformRequest<TBody, TQuery, TParams> {
  caller: Caller;
  body: TBody;
  query: TQuery;
  params: TParams;
  requestId: string;
  event: APIGatewayProxyEvent;
}

export interface PlatformHandlerOptions<TBody, TQuery, TParams> {
  method: HttpMethod;
  path: string;
  body?: z.ZodType<TBody>;
  query?: z.ZodType<TQuery>;
  params?: z.ZodType<TParams>;
  handle: (request: PlatformRequest<TBody, TQuery, TParams>) => Promise<APIGatewayProxyResult>;
}

/**
 * Builds the Lambda handler of one platform route. Roles and scope come from the shared
 * route table; checks run in the API's order (token, caller state, tenant scope, role,
 * input) before `handle` runs, and every error leaves as the platform error shape.
 */
export function platformHandler<
  TBody = undefined,
  TQuery = Record<string, never>,
  TParams = Record<string, never>,
>(options: PlatformHandlerOptions<TBody, TQuery, TParams>) {
  const route = findRoute(options.method, options.path);
  if (!route) throw new Error(`No route ${options.method} ${options.path} in the route table`);

  const run = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const caller = await authorizeRequest(event, route);
    const params = options.params
      ? validate(options.params, event.pathParameters ?? {})
      : ({} as TParams);
    const query = options.query
      ? validate(options.query, event.queryStringParameters ?? {})
      : ({} as TQuery);
    const body = options.body
      ? validate(options.body, parseJsonBody(event.body, event.isBase64Encoded))
      : (undefined as TBody);
    return options.handle({
      caller,
      body,
      query,
      params,
      requestId: event.requestContext.requestId,
      event,
    });
  };

  // Responses are not kept in traces: some carry secrets shown once, such as a new API token.
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>();
  if (tracer) handler.use(captureLambdaHandler(tracer, { captureResponse: false }));
  return handler
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(async (event, context) => handleWithErrors(route, event, context, run));
}

async function handleWithErrors(
  route: RouteDefinition,
  event: APIGatewayProxyEvent,
  context: Context,
  run: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  const requestId = event.requestContext?.requestId ?? context.awsRequestId;
  logger.resetKeys();
  logger.addContext(context);
  logger.appendKeys({ correlation_id: requestId, route: `${route.method} ${route.path}` });
  try {
    const response = await run(event);
    return withRequestId(response, requestId);
  } catch (error) {
    return withRequestId(toErrorResponse(error, route.errorShape), requestId);
  }
}

/**
 * Maps any thrown value to the route's error shape (the platform's, or OpenAI's on AI
 * routes); a non-`AppError` is a logged 500 whose body reveals nothing.
 */
export function toErrorResponse(
  error: unknown,
  shape: RouteDefinition['errorShape'],
): APIGatewayProxyResult {
  if (error instanceof AppError) {
    if (error.status >= 500) logger.error('Request failed', { error_code: error.code, error });
    else logger.info('Request rejected', { error_code: error.code, status: error.status });
  } else {
    logger.error('Unhandled error', { error: error as Error });
  }
  if (shape === 'openai') {
    const { status, body } = toOpenAiError(error);
    return jsonResponse(status, body);
  }
  if (error instanceof AppError) return jsonResponse(error.status, error.toBody());
  return jsonResponse(500, {
    error: { code: 'INTERNAL_ERROR', message: 'Internal error; try again later' },
  });
}

function withRequestId(response: APIGatewayProxyResult, requestId: string): APIGatewayProxyResult {
  return { ...response, headers: { ...response.headers, 'x-creditgate-request-id': requestId } };
}
