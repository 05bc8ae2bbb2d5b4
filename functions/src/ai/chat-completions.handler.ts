import type { Writable } from 'node:stream';
import { openResponseStream, streamingHandler } from '../lib/http/streaming';
import { logger } from '../lib/logger';
import { type ResponseWriter, runChatCompletion } from './chat-completions.service';

/**
 * `POST /v1/chat/completions` as a Lambda response stream (API Gateway `STREAM` mode), so
 * tokens reach the client as upstream produces them and settlement runs after the last one.
 */
export const handler = streamingHandler(async (event, responseStream, context) => {
  logger.resetKeys();
  logger.addContext(context);
  logger.appendKeys({ correlation_id: event.requestContext?.requestId ?? context.awsRequestId });
  await runChatCompletion({
    headers: event.headers,
    rawBody: event.body,
    isBase64Encoded: event.isBase64Encoded,
    writer: createStreamWriter(responseStream),
  });
});

function createStreamWriter(responseStream: Writable): ResponseWriter {
  let body: Writable | undefined;
  return {
    get isOpen() {
      return body !== undefined;
    },
    open(statusCode, headers) {
      body = openResponseStream(responseStream, { statusCode, headers });
    },
    write(text) {
      body?.write(text);
    },
    end() {
      return new Promise<void>((resolve) => {
        const stream = body ?? responseStream;
        stream.end(() => resolve());
      });
    },
  };
}
