import type { Writable } from 'node:stream';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** The metadata Lambda writes before a streamed body: status and headers. */
export interface StreamPrelude {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

export type StreamingHandler = (
  event: APIGatewayProxyEvent,
  responseStream: Writable,
  context: Context,
) => Promise<void>;

/**
 * Returns the Lambda Node.js runtime's `awslambda` global (typed by `@types/aws-lambda`).
 * The runtime provides it; the local gateway installs the same two functions.
 */
function runtime(): typeof awslambda {
  const global = globalThis as { awslambda?: typeof awslambda };
  if (!global.awslambda) {
    throw new Error(
      'awslambda is not defined: streaming handlers run only in Lambda or the local gateway',
    );
  }
  return global.awslambda;
}

/** Wraps a handler for Lambda response streaming. */
export function streamingHandler(handler: StreamingHandler) {
  return runtime().streamifyResponse(handler);
}

/** Writes the status and headers, then returns the stream to write the body to. */
export function openResponseStream(responseStream: Writable, prelude: StreamPrelude): Writable {
  return runtime().HttpResponseStream.from(responseStream, { ...prelude });
}
