import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  AppError,
  computeCost,
  type KeySource,
  newRequestId,
  type TokenUsage,
  validationError,
} from '@creditgate/shared';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { alertIfLow } from '../alerts/low-balance';
import type { LedgerEntry } from '../credits/ledger.model';
import { fingerprintOf } from '../idempotency/idempotency.repository';
import { readIdempotencyKey } from '../idempotency/idempotent-request';
import { integerEnv } from '../lib/env';
import { parseJsonBody, validate } from '../lib/http/validation';
import { logger } from '../lib/logger';
import { MetricUnit, metrics } from '../lib/observability';
import { type AiCaller, authenticateAiCaller } from './ai-caller';
import { type CallContext, getCallContext, priceForModel } from './call-context';
import { type ChatRequest, chatRequestSchema, MAX_CHAT_BODY_BYTES } from './chat-request';
import {
  estimateCompletionTokens,
  estimateHold,
  estimatePromptTokens,
  messageText,
} from './estimate';
import {
  type BalanceOwner,
  balanceReadOnce,
  closeHold,
  type Hold,
  placeHold,
} from './holds.repository';
import { toOpenAiError } from './openai-error';
import { settleHold } from './settlement';
import {
  ClientGoneError,
  callUpstream,
  readSseData,
  readUpstreamText,
  type UpstreamResponse,
  UpstreamWatchdog,
} from './upstream';
import { checkOwnKeyAvailable, sendWithUpstreamKey } from './upstream-key';

/** Where the proxy writes its answer; the Lambda handler adapts a response stream to it. */
export interface ResponseWriter {
  open(statusCode: number, headers: Record<string, string>): void;
  write(text: string): void;
  end(): Promise<void>;
  readonly isOpen: boolean;
  /** Aborts when the client's connection closes before the response has ended. */
  readonly clientGone: AbortSignal;
}

/** Timing settings, read from the environment so tests and stages can tune them. */
function timeouts() {
  return {
    keepAliveMs: integerEnv('AI_KEEPALIVE_MS', 15_000),
    idleMs: integerEnv('AI_UPSTREAM_IDLE_TIMEOUT_MS', 60_000),
    totalMs: integerEnv('AI_UPSTREAM_TOTAL_TIMEOUT_MS', 840_000),
    // An open hold expires this long after the call's total timeout; then the sweeper
    // releases it. The margin covers a settlement that runs after the timeout.
    holdGraceMs: integerEnv('AI_HOLD_GRACE_MS', 5 * 60_000),
  };
}

interface PreparedCall {
  request: ChatRequest;
  hold: Hold;
  upstreamBody: Record<string, unknown>;
  isStreaming: boolean;
  clientWantsUsage: boolean;
  price: { input: number; cachedInput: number; output: number };
  startedAt: number;
  context: CallContext;
  /**
   * Reads the caller's balance with this call's hold taken, and their email, once (see
   * `balanceReadOnce`). A plain call starts the read once its upstream request is sent, a
   * stream after its first chunk, so that it runs while upstream works.
   */
  readBalance: () => Promise<BalanceOwner | undefined>;
  /** Key that served the call, set once upstream responded. The SETTLE entry records it. */
  keySource?: KeySource;
}

/**
 * Runs one chat completion through the proxy: validate, hold credits, call upstream,
 * settle the real cost, and answer in OpenAI's shapes with Creditgate's receipt.
 */
export async function runChatCompletion(input: {
  headers: APIGatewayProxyEvent['headers'];
  rawBody: string | null;
  isBase64Encoded: boolean;
  writer: ResponseWriter;
}): Promise<void> {
  const { writer } = input;
  // Minted first, so that refusals carry it too and the logs of one call share it.
  const requestId = newRequestId();
  logger.appendKeys({ request_id: requestId });
  let prepared: PreparedCall | undefined;
  try {
    const caller = await authenticateAiCaller(input.headers);
    const idempotencyKey = readIdempotencyKey(input.headers);
    prepared = await prepareCall({
      caller,
      requestId,
      rawBody: input.rawBody,
      isBase64Encoded: input.isBase64Encoded,
      idempotencyKey,
    });
    await proxyCall(prepared, writer);
  } catch (error) {
    if (prepared && !(error instanceof SettledError)) await releaseQuietly(prepared.hold);
    if (error instanceof ClientGoneError) {
      logger.info('Client closed the connection before any output; nothing charged');
      await writer.end();
      return;
    }
    await writeError(writer, error instanceof SettledError ? error.cause : error, requestId);
  }
}

async function prepareCall(input: {
  caller: AiCaller;
  requestId: string;
  rawBody: string | null;
  isBase64Encoded: boolean;
  idempotencyKey: string | undefined;
}): Promise<PreparedCall> {
  const { caller, rawBody, isBase64Encoded, idempotencyKey } = input;
  const startedAt = Date.now();
  if (rawBody && Buffer.byteLength(rawBody) > MAX_CHAT_BODY_BYTES) {
    throw validationError([
      { field: 'body', message: `must be at most ${MAX_CHAT_BODY_BYTES} bytes` },
    ]);
  }
  const request = validate(chatRequestSchema, parseJsonBody(rawBody, isBase64Encoded));

  const context = await getCallContext(caller.tenantId);
  if (!context)
    throw new AppError('UNAUTHENTICATED', 'No active account matches this token; sign in again');
  // Prices in force when the call started, also for the settlement after a price change.
  const price = priceForModel(context, request.model, startedAt);
  checkOwnKeyAvailable(context);

  // The plan caps the completion allowance; the capped value is what upstream receives.
  const tokenField = request.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  const requested =
    request.max_completion_tokens ?? request.max_tokens ?? context.plan.maxTokensPerRequest;
  const maxTokens = Math.min(requested, context.plan.maxTokensPerRequest);
  const choices = request.n ?? 1;
  const isStreaming = request.stream === true;
  const clientWantsUsage = request.stream_options?.include_usage === true;
  const upstreamBody: Record<string, unknown> = { ...request, [tokenField]: maxTokens };
  if (isStreaming)
    upstreamBody.stream_options = { ...(request.stream_options ?? {}), include_usage: true };

  const { totalMs, holdGraceMs } = timeouts();
  const hold: Hold = {
    tenantId: caller.tenantId,
    userId: caller.userId,
    requestId: input.requestId,
    amount: estimateHold({ price, messages: request.messages, maxTokens, choices }),
    model: request.model,
    holdExpiresAt: startedAt + totalMs + holdGraceMs,
    createdAt: new Date(startedAt).toISOString(),
    limits: {
      requestsPerMinute: context.plan.requestsPerMinute,
      concurrentCalls: context.plan.concurrentStreams,
    },
  };
  await placeHoldWithSettlingRetry(hold, {
    apiToken: caller.apiToken,
    idempotency:
      idempotencyKey === undefined
        ? undefined
        : {
            scope: {
              tenantId: caller.tenantId,
              operation: 'ai-call',
              callerId: caller.userId,
              key: idempotencyKey,
            },
            fingerprint: fingerprintOf(request),
          },
  });
  logger.info('Hold placed', {
    hold_amount: hold.amount,
    model: request.model,
    stream: isStreaming,
  });
  return {
    request,
    hold,
    upstreamBody,
    isStreaming,
    clientWantsUsage,
    price,
    startedAt,
    context,
    readBalance: balanceReadOnce(hold.tenantId, hold.userId),
  };
}

/** Wait before the one retry of a hold refused for the concurrent-calls limit. */
const SETTLING_RETRY_MS = 50;

/**
 * Places the hold. A plain call sends its response before it settles, so a client that sends
 * its next call at once can find the previous call still counted as open. A rejection for the
 * concurrent-calls limit is therefore tried once more after `SETTLING_RETRY_MS`. A rejected
 * transaction wrote nothing, so the retry counts the request once.
 */
async function placeHoldWithSettlingRetry(
  hold: Hold,
  options: Parameters<typeof placeHold>[1],
): Promise<void> {
  try {
    await placeHold(hold, options);
  } catch (error) {
    const isConcurrencyLimit =
      error instanceof AppError &&
      error.code === 'RATE_LIMITED' &&
      error.details?.limit === 'concurrentStreams';
    if (!isConcurrencyLimit) throw error;
    await new Promise((resolve) => setTimeout(resolve, SETTLING_RETRY_MS));
    await placeHold(hold, options);
  }
}

/** Marks an error raised after the hold was closed, so it is not released twice. */
class SettledError extends Error {
  constructor(cause: unknown) {
    super('Call failed after settlement', { cause });
  }
}

async function proxyCall(call: PreparedCall, writer: ResponseWriter): Promise<void> {
  const { keepAliveMs, idleMs, totalMs } = timeouts();
  const watchdog = new UpstreamWatchdog({ idleMs, totalMs, clientGone: writer.clientGone });
  const upstreamStartedAt = Date.now();
  const sse = call.isStreaming
    ? new SseOutput(writer, call.hold.requestId, keepAliveMs)
    : undefined;
  try {
    const response = await openUpstream(call, watchdog);
    if (sse) {
      await relayStream({ call, response, sse, watchdog });
    } else {
      await relayJson({ call, response, writer, watchdog, upstreamStartedAt });
    }
  } finally {
    sse?.stopKeepAlive();
    watchdog.dispose();
  }
}

async function openUpstream(
  call: PreparedCall,
  watchdog: UpstreamWatchdog,
): Promise<UpstreamResponse> {
  const { response, keySource } = await sendWithUpstreamKey({
    tenantId: call.hold.tenantId,
    requestId: call.hold.requestId,
    context: call.context,
    send: async (apiKey) => {
      const response = await callUpstream({
        path: '/chat/completions',
        apiKey,
        body: call.upstreamBody,
        controller: watchdog.controller,
        // A stream reads the balance after its first chunk instead (see `relayStream`).
        onSent: call.isStreaming ? undefined : () => void call.readBalance(),
      });
      watchdog.recordActivity();
      return response;
    },
  });
  call.keySource = keySource;
  return response;
}

async function relayJson(input: {
  call: PreparedCall;
  response: UpstreamResponse;
  writer: ResponseWriter;
  watchdog: UpstreamWatchdog;
  upstreamStartedAt: number;
}): Promise<void> {
  const { call, response, writer, watchdog } = input;
  let text: string;
  try {
    text = await readUpstreamText(response.body, () => watchdog.recordActivity());
  } catch (error) {
    throw watchdog.explain(error, 'The response of the AI provider broke off; try again');
  }
  const upstreamMs = Date.now() - input.upstreamStartedAt;
  let parsed: { usage?: OpenAiUsage | null; choices?: { message?: GeneratedPart }[] };
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError('UPSTREAM_ERROR', 'The AI provider sent an invalid response', {
      cause: error,
    });
  }
  const completionText = (parsed.choices ?? [])
    .map((choice) => generatedText(choice.message))
    .join('');
  const priced = priceCall(call, parsed.usage, completionText);
  await settleAndAnswer(
    call,
    priced,
    async (receipt) => {
      const overheadMs = Math.max(0, Date.now() - call.startedAt - upstreamMs);
      metrics.addMetric('ProxyOverhead', MetricUnit.Milliseconds, overheadMs);
      writer.open(200, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'x-creditgate-request-id': call.hold.requestId,
        'x-creditgate-cost': String(receipt.cost),
        'x-creditgate-balance': String(receipt.balance),
        'x-creditgate-overhead-ms': String(overheadMs),
      });
      writer.write(text);
      await writer.end();
    },
    true,
  );
}

/**
 * The client's side of a streaming call. It opens the SSE response on the first write and
 * sends a `: keep-alive` comment whenever nothing was written for `keepAliveMs`, also while
 * upstream has not answered yet, so that clients and proxies keep a silent connection open.
 * An upstream error after that point can only reach the client as an SSE error event.
 */
class SseOutput {
  #lastWriteAt = Date.now();
  readonly #keepAliveTimer: NodeJS.Timeout;

  constructor(
    private readonly writer: ResponseWriter,
    private readonly requestId: string,
    keepAliveMs: number,
  ) {
    this.#keepAliveTimer = setInterval(
      () => {
        if (Date.now() - this.#lastWriteAt >= keepAliveMs) this.write(': keep-alive\n\n');
      },
      Math.max(10, keepAliveMs / 4),
    );
  }

  open(): void {
    if (this.writer.isOpen) return;
    this.writer.open(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      'x-creditgate-request-id': this.requestId,
    });
  }

  write(text: string): void {
    this.open();
    this.writer.write(text);
    this.#lastWriteAt = Date.now();
  }

  stopKeepAlive(): void {
    clearInterval(this.#keepAliveTimer);
  }

  async end(): Promise<void> {
    this.stopKeepAlive();
    await this.writer.end();
  }
}

async function relayStream(input: {
  call: PreparedCall;
  response: UpstreamResponse;
  sse: SseOutput;
  watchdog: UpstreamWatchdog;
}): Promise<void> {
  const { call, response, sse, watchdog } = input;
  sse.open();

  let usage: OpenAiUsage | undefined;
  let completionText = '';
  let streamError: Error | undefined;
  let isBalanceReadStarted = false;
  try {
    for await (const data of readSseData(response.body, () => watchdog.recordActivity())) {
      if (data === '[DONE]') break;
      const chunk = parseChunk(data);
      if (chunk?.usage) usage = chunk.usage;
      const isUsageOnly =
        Array.isArray(chunk?.choices) && chunk.choices.length === 0 && chunk.usage;
      for (const choice of chunk?.choices ?? []) completionText += generatedText(choice.delta);
      // Upstream is always asked for usage; its usage-only chunk goes on only if the client asked.
      if (isUsageOnly && !call.clientWantsUsage) continue;
      sse.write(`data: ${data}\n\n`);
      // The receipt's balance is read in the next turn of the event loop, after this chunk
      // has been passed on, so the read does not delay the first token.
      if (!isBalanceReadStarted) {
        isBalanceReadStarted = true;
        void nextTurn().then(call.readBalance);
      }
    }
  } catch (error) {
    streamError = watchdog.explain(error, 'The stream of the AI provider broke off; try again');
  }

  // With no output and no usage, nothing was delivered or reported: the caller releases the
  // whole hold and reports the error.
  if (streamError && completionText === '' && !usage) throw streamError;

  // Bill what was used however the stream ended: reported usage, or an estimate from the text.
  const priced = priceCall(call, usage, completionText);
  await settleAndAnswer(
    call,
    priced,
    async (receipt) => {
      if (streamError instanceof ClientGoneError) {
        logger.info('Client closed the connection mid-stream; charged the part generated so far', {
          cost: receipt.cost,
        });
        await sse.end();
        return;
      }
      if (streamError) {
        logger.warn('Upstream stream failed', { error: streamError, cost: receipt.cost });
        sse.write(`data: ${JSON.stringify(toOpenAiError(streamError).body)}\n\n`);
      }
      sse.write(
        `: creditgate ${JSON.stringify({ requestId: call.hold.requestId, cost: receipt.cost, balance: receipt.balance })}\n\n`,
      );
      sse.write('data: [DONE]\n\n');
      await sse.end();
    },
    false,
  );
}

interface OpenAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

interface ParsedChunk {
  usage?: OpenAiUsage | null;
  choices?: { delta?: GeneratedPart }[];
}

/** The generated fields of a message, or of a stream chunk's delta. */
interface GeneratedPart {
  content?: unknown;
  refusal?: unknown;
  tool_calls?: unknown;
}

/**
 * Returns the text a model generated in a message or delta: content, refusal, and the names
 * and arguments of tool calls, which cost output tokens as well.
 */
function generatedText(part: GeneratedPart | undefined): string {
  if (!part) return '';
  let text = messageText(part.content);
  if (typeof part.refusal === 'string') text += part.refusal;
  if (Array.isArray(part.tool_calls)) {
    for (const call of part.tool_calls as {
      function?: { name?: unknown; arguments?: unknown };
    }[]) {
      if (typeof call?.function?.name === 'string') text += call.function.name;
      if (typeof call?.function?.arguments === 'string') text += call.function.arguments;
    }
  }
  return text;
}

function parseChunk(data: string): ParsedChunk | undefined {
  try {
    return JSON.parse(data) as ParsedChunk;
  } catch {
    return undefined;
  }
}

/** The real cost of a call and the SETTLE entry that records it. */
interface PricedCall {
  cost: number;
  isEstimated: boolean;
  entry: Omit<LedgerEntry, 'entryId' | 'type' | 'amount' | 'shortfall'>;
}

/**
 * Prices a finished call. Without usage from upstream, the cost is estimated from the prompt
 * and the generated text (never zero), and the ledger entry is marked as estimated.
 */
function priceCall(
  call: PreparedCall,
  reported: OpenAiUsage | null | undefined,
  completionText: string,
): PricedCall {
  const isEstimated = !reported || typeof reported.prompt_tokens !== 'number';
  const usage: TokenUsage = isEstimated
    ? {
        promptTokens: estimatePromptTokens(call.request.messages),
        cachedPromptTokens: 0,
        completionTokens: estimateCompletionTokens(completionText),
      }
    : {
        promptTokens: reported.prompt_tokens ?? 0,
        cachedPromptTokens: reported.prompt_tokens_details?.cached_tokens ?? 0,
        completionTokens: reported.completion_tokens ?? 0,
      };
  return {
    cost: computeCost(call.price, usage),
    isEstimated,
    entry: {
      tenantId: call.hold.tenantId,
      userId: call.hold.userId,
      requestId: call.hold.requestId,
      model: call.request.model,
      usage,
      actorId: call.hold.userId,
      createdAt: new Date().toISOString(),
      ...(isEstimated && { isEstimated: true }),
      ...(call.keySource && { keySource: call.keySource }),
    },
  };
}

/**
 * Settles a call and passes its receipt to `answer`. When a plain call's hold covers the cost
 * (`isAnswerFirst`), the charge is the cost, so the client gets the whole response first and
 * the settlement runs after its last byte. A settlement that then fails is logged, and the
 * sweeper releases the hold. A stream has already sent its content, so its closing receipt
 * and `[DONE]` wait for the settlement, and a balance read after the stream is final. A cost
 * above the hold charges what the balance covers and records the shortfall, so that response
 * also waits for the settlement.
 */
async function settleAndAnswer(
  call: PreparedCall,
  priced: PricedCall,
  answer: (receipt: { cost: number; balance: number }) => Promise<void>,
  isAnswerFirst: boolean,
): Promise<void> {
  // The read must finish before the settlement is sent, or it may already include it.
  const owner = await call.readBalance();
  const balanceAfter = (charge: number) => (owner?.balance ?? 0) + call.hold.amount - charge;
  let charge: number;
  if (isAnswerFirst && priced.cost <= call.hold.amount) {
    charge = priced.cost;
    await answer({ cost: charge, balance: balanceAfter(charge) });
    // The settlement waits one turn of the event loop, so the response's last bytes are
    // sent before the settlement request takes the CPU.
    await nextTurn();
    try {
      await settle(call, priced);
    } catch (error) {
      logger.error('Settlement failed; the sweeper will release the hold', {
        error: error as Error,
      });
      return;
    }
  } else {
    try {
      charge = await settle(call, priced);
    } catch (error) {
      logger.error('Settlement failed; the sweeper will release the hold', {
        error: error as Error,
      });
      throw new SettledError(error);
    }
    await answer({ cost: charge, balance: balanceAfter(charge) });
  }
  if (owner) {
    await alertIfLow(call.hold.tenantId, call.context.alerts, {
      kind: 'user',
      userId: call.hold.userId,
      email: owner.email,
      balance: balanceAfter(charge),
    });
  }
}

async function settle(call: PreparedCall, priced: PricedCall): Promise<number> {
  const charge = await settleHold({ hold: call.hold, cost: priced.cost, entry: priced.entry });
  if (charge < priced.cost)
    logger.warn('Call cost more than the balance covered', { cost: priced.cost, charged: charge });
  logger.info('Hold settled', {
    cost: charge,
    hold_amount: call.hold.amount,
    estimated: priced.isEstimated,
  });
  return charge;
}

async function releaseQuietly(hold: Hold): Promise<void> {
  try {
    await closeHold({
      hold,
      charge: 0,
      entry: {
        tenantId: hold.tenantId,
        userId: hold.userId,
        requestId: hold.requestId,
        model: hold.model,
        actorId: hold.userId,
        createdAt: new Date().toISOString(),
      },
    });
    logger.info('Hold released', { hold_amount: hold.amount });
  } catch (error) {
    logger.error('Hold release failed; the sweeper will release it', { error: error as Error });
  }
}

async function writeError(
  writer: ResponseWriter,
  error: unknown,
  requestId: string,
): Promise<void> {
  const { status, body } = toOpenAiError(error);
  if (status >= 500) logger.error('AI call failed', { error: error as Error });
  else logger.info('AI call rejected', { error_code: body.error.code, status });
  if (writer.isOpen) {
    writer.write(`data: ${JSON.stringify(body)}\n\n`);
    await writer.end();
    return;
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-creditgate-request-id': requestId,
  };
  const retryAfter = error instanceof AppError ? error.details?.retryAfter : undefined;
  if (typeof retryAfter === 'string') headers['retry-after'] = retryAfter;
  // Our own failures are final for the SDK's retry logic; only rate limits invite a retry.
  if (status !== 429) headers['x-should-retry'] = 'false';
  writer.open(status, headers);
  writer.write(JSON.stringify(body));
  await writer.end();
}
