import { AppError, newRequestId } from '@creditgate/shared';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { jsonResponse } from '../lib/http/response';
import { logger } from '../lib/logger';
import { metrics } from '../lib/observability';
import { runEmbeddings } from './embeddings.service';
import { toOpenAiError } from './openai-error';

/** `POST /v1/embeddings`, OpenAI-compatible and billed on input tokens. */
export const handler = async (
  event: APIGatewayProxyEvent,
  context: Context,
): Promise<APIGatewayProxyResult> => {
  logger.resetKeys();
  logger.addContext(context);
  logger.appendKeys({ correlation_id: event.requestContext?.requestId ?? context.awsRequestId });
  metrics.captureColdStartMetric();
  // Minted first, so that refusals carry it too and the logs of one call share it.
  const requestId = newRequestId();
  logger.appendKeys({ request_id: requestId });
  try {
    const result = await runEmbeddings(event, requestId);
    return { statusCode: 200, headers: result.headers, body: result.body };
  } catch (error) {
    const { status, body } = toOpenAiError(error);
    if (status >= 500) logger.error('Embeddings call failed', { error: error as Error });
    else logger.info('Embeddings call rejected', { error_code: body.error.code, status });
    // Refusals are final for the openai SDK's retries; only rate limits invite one.
    const retryAfter = error instanceof AppError ? error.details?.retryAfter : undefined;
    const headers: Record<string, string> =
      status === 429 ? { 'retry-after': String(retryAfter ?? 1) } : { 'x-should-retry': 'false' };
    return jsonResponse(status, body, { ...headers, 'x-creditgate-request-id': requestId });
  } finally {
    metrics.publishStoredMetrics();
  }
};
