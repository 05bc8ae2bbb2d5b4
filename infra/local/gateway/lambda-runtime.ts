import { Writable } from 'node:stream';

/**
 * The local stand-in for the `awslambda` global of the Lambda Node.js runtime: the
 * `streamifyResponse` marker and `HttpResponseStream.from`, which writes the JSON prelude
 * and the 8-byte NUL delimiter exactly as the runtime does before the body.
 */
export const STREAMING_MARKER = Symbol.for('creditgate.streamingHandler');

const PRELUDE_DELIMITER = Buffer.alloc(8, 0);

const HttpResponseStream = {
  from(stream: Writable, prelude: Record<string, unknown>): Writable {
    stream.write(Buffer.concat([Buffer.from(JSON.stringify(prelude)), PRELUDE_DELIMITER]));
    return stream;
  },
};

/**
 * Adds the runtime's functions to the `awslambda` global, which handler modules read when
 * they load. The global may exist already, because the AWS SDK's `@aws/lambda-invoke-store`
 * creates it with only its own `InvokeStore` field.
 */
export function installLambdaRuntime(): void {
  const global = globalThis as { awslambda?: Record<string, unknown> };
  global.awslambda ??= {};
  global.awslambda.streamifyResponse ??= <T extends (...args: never[]) => unknown>(
    handler: T,
  ): T => {
    Object.defineProperty(handler, STREAMING_MARKER, { value: true });
    return handler;
  };
  global.awslambda.HttpResponseStream ??= HttpResponseStream;
}

/** True when a handler was wrapped with `awslambda.streamifyResponse`. */
export function isStreamingHandler(handler: unknown): boolean {
  return (
    typeof handler === 'function' &&
    (handler as unknown as Record<symbol, unknown>)[STREAMING_MARKER] === true
  );
}

/**
 * A response stream for a streaming handler. It splits the prelude from the body as API
 * Gateway does: everything before the first 8 NUL bytes is the JSON prelude.
 */
export class PreludeSplitter extends Writable {
  private pending: Buffer = Buffer.alloc(0);
  private isPreludeDone = false;

  constructor(
    private readonly onPrelude: (prelude: {
      statusCode?: number;
      headers?: Record<string, string>;
    }) => void,
    private readonly onBody: (chunk: Buffer) => void,
  ) {
    super();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    if (this.isPreludeDone) {
      this.onBody(data);
      callback();
      return;
    }
    this.pending = Buffer.concat([this.pending, data]);
    const end = this.pending.indexOf(PRELUDE_DELIMITER);
    if (end === -1) {
      callback();
      return;
    }
    try {
      this.onPrelude(JSON.parse(this.pending.subarray(0, end).toString('utf8')));
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.isPreludeDone = true;
    const rest = this.pending.subarray(end + PRELUDE_DELIMITER.length);
    this.pending = Buffer.alloc(0);
    if (rest.length > 0) this.onBody(rest);
    callback();
  }

  /** Returns what was written without a prelude, for handlers that never wrote one. */
  takeUnparsed(): Buffer | undefined {
    return this.isPreludeDone ? undefined : this.pending;
  }
}
