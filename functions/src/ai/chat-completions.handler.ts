import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { openResponseStream, streamingHandler } from '../lib/http/streaming';
import { logger } from '../lib/logger';
import { metrics } from '../lib/observability';
import { type ResponseWriter, runChatCompletion } from './chat-completions.service';

/**
 * `POST /v1/chat/completions` as a Lambda response stream (API Gateway `STREAM` mode), so
 * tokens reach the client as upstream produces them and settlement runs after the last one.
 */
export const handler = streamingHandler(async (event, responseStream, context) => {
  logger.resetKeys();
  logger.addContext(context);
  logger.appendKeys({ correlation_id: event.requestContext?.requestId ?? context.awsRequestId });
  metrics.captureColdStartMetric();
  try {
    await runChatCompletion({
      headers: event.headers,
      rawBody: event.body,
      isBase64Encoded: event.isBase64Encoded,
      writer: createStreamWriter(responseStream),
    });
  } finally {
    metrics.publishStoredMetrics();
  }
});

function createStreamWriter(responseStream: Writable): ResponseWriter {
  let body: Writable | undefined;
  // The local gateway destroys the response stream when the client's connection closes, and
  // the proxy then stops reading upstream and settles what was generated so far. In AWS the
  // function may keep running after the client disconnects (AWS documents this for response
  // streaming). NOTE: whether the Lambda runtime closes this stream then is not verified.
  // If it does not, the call runs until upstream ends and is settled in full.
  const clientGone = new AbortController();
  responseStream.once('close', () => {
    if (!responseStream.writableFinished) clientGone.abort();
  });
  return {
    clientGone: clientGone.signal,
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
      const stream = body ?? responseStream;
      stream.end();
      // `finished` also settles for a destroyed stream, whose end callback never runs.
      return finished(stream).catch(() => undefined);
    },
  };
}
