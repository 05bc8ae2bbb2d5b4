import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RouteDefinition, routes } from '@creditgate/shared';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { buildContext, buildProxyEvent } from './events';
import { backgroundFunctions, loadHandler } from './handlers';
import { BACKGROUND_RUNS_PATH } from './invoke-client';
import { installLambdaRuntime, isStreamingHandler, PreludeSplitter } from './lambda-runtime';

/** API Gateway's request payload limit. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** Local stand-in for the functions' timeout. */
const FUNCTION_TIMEOUT_MS = 900_000;

export interface GatewayOptions {
  port?: number;
  host?: string;
  /** Port of the Lambda Invoke API that cognito-local and Secrets Manager rotation call. */
  lambdaPort?: number;
  stage?: string;
}

export interface Gateway {
  url: string;
  lambdaUrl: string;
  close(): Promise<void>;
}

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameterNames: string[];
}

/**
 * Starts the local API gateway: it matches requests against the shared route table, builds
 * REST proxy events and runs the same handler modules CDK deploys, streaming included. A
 * second port serves the Lambda Invoke API for Cognito triggers and rotation.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  installLambdaRuntime();
  const host = options.host ?? '127.0.0.1';
  const stage = options.stage ?? 'local';
  // Static segments win over parameters, as in API Gateway: `/users/batch` before `/users/{userId}`.
  const compiled = routes
    .map(compileRoute)
    .sort((a, b) => a.parameterNames.length - b.parameterNames.length);
  // Load every handler up front, so a broken module fails the start, not the first request.
  await Promise.all([
    ...routes.map((route) => loadHandler(route.handler)),
    ...Object.values(backgroundFunctions).map(loadHandler),
  ]);

  const api = createServer((request, response) => {
    handleApiRequest(request, response, compiled, stage).catch((error: unknown) => {
      console.error('gateway: request failed', error);
      if (!response.headersSent) writeJson(response, 502, { message: 'Internal server error' });
      else response.destroy();
    });
  });
  const lambda = createServer((request, response) => {
    handleInvoke(request, response).catch((error: unknown) => {
      console.error('gateway: invocation failed', error);
      if (!response.headersSent) writeJson(response, 500, { message: 'Invocation failed' });
    });
  });
  await listen(api, options.port ?? 0, host);
  await listen(lambda, options.lambdaPort ?? 0, host);
  return {
    url: `http://${host}:${(api.address() as AddressInfo).port}`,
    lambdaUrl: `http://${host}:${(lambda.address() as AddressInfo).port}`,
    close: async () => {
      api.closeAllConnections();
      lambda.closeAllConnections();
      await Promise.all([closeServer(api), closeServer(lambda)]);
    },
  };
}

function compileRoute(route: RouteDefinition): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), parameterNames };
}

async function handleApiRequest(
  request: IncomingMessage,
  response: ServerResponse,
  compiled: CompiledRoute[],
  stage: string,
): Promise<void> {
  // API Gateway sends its request id on every response, its own errors included.
  const requestId = randomUUID();
  response.setHeader('x-amzn-RequestId', requestId);
  const url = new URL(request.url ?? '/', 'http://localhost');
  const matches = compiled.filter((entry) => entry.pattern.test(url.pathname));
  if (matches.length === 0) {
    writeJson(response, 404, {
      error: { code: 'NOT_FOUND', message: `No route for ${url.pathname}` },
    });
    return;
  }
  const match = matches.find((entry) => entry.route.method === request.method);
  if (!match) {
    const allowed = matches.map((entry) => entry.route.method).join(', ');
    writeJson(
      response,
      405,
      { error: { code: 'METHOD_NOT_ALLOWED', message: `Use one of: ${allowed}` } },
      { allow: allowed },
    );
    return;
  }

  const body = await readBody(request, MAX_REQUEST_BYTES);
  if (body === undefined) {
    writeJson(response, 413, {
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
    });
    return;
  }
  const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
  const pathParameters = Object.fromEntries(
    match.parameterNames.map((name, index) => [name, decodeURIComponent(values[index] ?? '')]),
  );
  const event = buildProxyEvent({
    request,
    url,
    resourcePath: match.route.path,
    pathParameters,
    body,
    stage,
    requestId,
  });
  const context = buildContext(match.route.handler.replaceAll('/', '-'), FUNCTION_TIMEOUT_MS);
  const handler = await loadHandler(match.route.handler);

  if (isStreamingHandler(handler)) {
    await invokeStreaming(handler, event, context, response);
    return;
  }
  const result = (await handler(event, context)) as APIGatewayProxyResult;
  const headers: Record<string, string | string[]> = { ...stringHeaders(result.headers) };
  for (const [name, list] of Object.entries(result.multiValueHeaders ?? {}))
    headers[name] = list.map(String);
  response.writeHead(result.statusCode, headers);
  response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

/**
 * Holds the response's writes until the end of this turn of the event loop, so the status,
 * the body and the end that a handler writes together leave in one packet and wake the
 * client once. Writes of later turns, such as a stream's next chunk, leave in their own.
 */
function corkForOneTurn(response: ServerResponse): void {
  if (response.writableCorked > 0) return;
  response.cork();
  setImmediate(() => {
    if (!response.writableEnded) response.uncork();
  });
}

/**
 * Runs a streaming handler the way API Gateway's `STREAM` mode does: the prelude becomes
 * the status and headers, and each body chunk goes to the client as soon as it is written.
 */
async function invokeStreaming(
  handler: (...args: unknown[]) => Promise<unknown>,
  event: unknown,
  context: unknown,
  response: ServerResponse,
): Promise<void> {
  const stream = new PreludeSplitter(
    (prelude) => {
      corkForOneTurn(response);
      response.writeHead(prelude.statusCode ?? 200, stringHeaders(prelude.headers));
      response.flushHeaders();
    },
    (chunk) => {
      corkForOneTurn(response);
      response.write(chunk);
    },
  );
  // A client that disconnects destroys the handler's stream: the handler's signal to stop.
  response.once('close', () => {
    if (!response.writableFinished) stream.destroy();
  });
  // 'close' follows 'finish' and also comes after a destroy, which never emits 'finish'.
  const finished = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  const run = handler(event, stream, context);
  // As in Lambda, the response is complete when the handler ends its stream, and the
  // invocation goes on until the handler returns (the chat handler settles then).
  await Promise.race([finished, run]);
  await finished;
  const unparsed = stream.takeUnparsed();
  if (unparsed !== undefined && !response.headersSent)
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
  response.end(unparsed);
  runsAfterResponse++;
  try {
    await run;
  } finally {
    runsAfterResponse--;
  }
}

/**
 * Streaming invocations whose response is complete but whose handler still runs, such as a
 * chat call settling after the last byte. Tests wait for 0 before reading balances.
 */
let runsAfterResponse = 0;

async function handleInvoke(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'GET' && request.url === BACKGROUND_RUNS_PATH) {
    writeJson(response, 200, { runsAfterResponse });
    return;
  }
  const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.url ?? '');
  const name = match ? decodeURIComponent(match[1] as string) : undefined;
  // Accept a full ARN as well as a bare name, as Lambda does.
  const module = name ? backgroundFunctions[name.split(':').pop() ?? name] : undefined;
  if (request.method !== 'POST' || !module) {
    writeJson(
      response,
      404,
      { Type: 'User', Message: `Function not found: ${name ?? request.url}` },
      { 'x-amzn-errortype': 'ResourceNotFoundException' },
    );
    return;
  }
  const body = (await readBody(request, 6 * 1024 * 1024)) ?? Buffer.alloc(0);
  const handler = await loadHandler(module);
  try {
    const event = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
    const result = await handler(event, buildContext(name as string, FUNCTION_TIMEOUT_MS));
    writeJson(response, 200, result ?? null);
  } catch (error) {
    // Lambda reports a function error with status 200 and this header.
    const failure = error as Error;
    writeJson(
      response,
      200,
      { errorType: failure.name, errorMessage: failure.message },
      { 'x-amz-function-error': 'Unhandled' },
    );
  }
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
}

function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isTooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) isTooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(isTooLarge ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
