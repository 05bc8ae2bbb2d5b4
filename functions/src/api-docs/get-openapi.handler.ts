import { buildOpenApiDocument } from '@creditgate/shared/api-contract';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { jsonResponse } from '../lib/http/response';
import { logger } from '../lib/logger';

/** Browsers and proxies may keep the document this long, in seconds. */
const MAX_AGE_SECONDS = 300;

let documentBody: string | undefined;

/**
 * Serves `GET /v1/openapi.json`, the OpenAPI document built from the route table, to anyone
 * and without a token. The document is built at the first request, so a route without a
 * contract fails this route with a logged 500 instead of the function's start.
 */
export const handler = async (
  event: APIGatewayProxyEvent,
  context: Context,
): Promise<APIGatewayProxyResult> => {
  const requestId = event.requestContext?.requestId ?? context.awsRequestId;
  logger.resetKeys();
  logger.addContext(context);
  logger.appendKeys({ correlation_id: requestId, route: 'GET /v1/openapi.json' });
  try {
    documentBody ??= JSON.stringify(buildOpenApiDocument());
    return {
      ...jsonResponse(200, undefined, {
        'cache-control': `public, max-age=${MAX_AGE_SECONDS}`,
        'x-creditgate-request-id': requestId,
      }),
      body: documentBody,
    };
  } catch (error) {
    logger.error('Building the OpenAPI document failed', { error: error as Error });
    const body = { error: { code: 'INTERNAL_ERROR', message: 'Internal error; try again later' } };
    return jsonResponse(500, body, { 'x-creditgate-request-id': requestId });
  }
};
