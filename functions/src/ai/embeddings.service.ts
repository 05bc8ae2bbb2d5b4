import { AppError, computeCost, type KeySource } from '@creditgate/shared';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { alertIfLow } from '../alerts/low-balance';
import { fingerprintOf } from '../idempotency/idempotency.repository';
import { readIdempotencyKey } from '../idempotency/idempotent-request';
import { integerEnv } from '../lib/env';
import { parseJsonBody, validate } from '../lib/http/validation';
import { logger } from '../lib/logger';
import { MetricUnit, metrics } from '../lib/observability';
import { authenticateAiCaller } from './ai-caller';
import { type CallContext, getCallContext, priceForModel } from './call-context';
import { embeddingsRequestSchema, estimateEmbeddingTokens } from './embeddings-request';
import { balanceReadOnce, closeHold, type Hold, placeHold } from './holds.repository';
import { settleHold } from './settlement';
import { callUpstream } from './upstream';
import { checkOwnKeyAvailable, sendWithUpstreamKey } from './upstream-key';

/** An embeddings response: upstream's body as sent, with Creditgate's receipt headers. */
export interface EmbeddingsResult {
  body: string;
  headers: Record<string, string>;
}

/**
 * Runs `POST /v1/embeddings` through the proxy: hold the estimated input cost, call
 * upstream, and settle at the reported input tokens (embeddings have no output tokens).
 * Upstream's body goes back unchanged, so `encoding_format: "base64"` answers stay exact.
 */
export async function runEmbeddings(
  event: APIGatewayProxyEvent,
  requestId: string,
): Promise<EmbeddingsResult> {
  const startedAt = Date.now();
  const caller = await authenticateAiCaller(event.headers);
  const idempotencyKey = readIdempotencyKey(event.headers);
  const request = validate(
    embeddingsRequestSchema,
    parseJsonBody(event.body, event.isBase64Encoded),
  );

  const context = await getCallContext(caller.tenantId);
  if (!context)
    throw new AppError('UNAUTHENTICATED', 'No active account matches this token; sign in again');
  // Prices in force when the call started, also for the settlement after a price change.
  const price = priceForModel(context, request.model, startedAt);
  checkOwnKeyAvailable(context);

  const estimatedTokens = estimateEmbeddingTokens(request.input);
  const hold: Hold = {
    tenantId: caller.tenantId,
    userId: caller.userId,
    requestId,
    amount: Math.max(
      1,
      computeCost(price, {
        promptTokens: estimatedTokens,
        cachedPromptTokens: 0,
        completionTokens: 0,
      }),
    ),
    model: request.model,
    holdExpiresAt:
      startedAt +
      integerEnv('AI_UPSTREAM_TOTAL_TIMEOUT_MS', 840_000) +
      integerEnv('AI_HOLD_GRACE_MS', 300_000),
    createdAt: new Date(startedAt).toISOString(),
    limits: {
      requestsPerMinute: context.plan.requestsPerMinute,
      concurrentCalls: context.plan.concurrentStreams,
    },
  };
  await placeHold(hold, {
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

  // The receipt's balance is read while upstream works, once the request has been sent.
  const readBalance = balanceReadOnce(hold.tenantId, hold.userId);
  let text: string;
  let keySource: KeySource;
  const upstreamStartedAt = Date.now();
  try {
    ({ text, keySource } = await fetchEmbeddings({
      request,
      hold,
      context,
      onSent: () => void readBalance(),
    }));
  } catch (error) {
    await closeHold({ hold, charge: 0, entry: closingEntry(hold) }).catch((releaseError: unknown) =>
      logger.error('Hold release failed; the sweeper will release it', {
        error: releaseError as Error,
      }),
    );
    throw error;
  }
  const upstreamMs = Date.now() - upstreamStartedAt;

  const reported = readPromptTokens(text);
  const promptTokens = reported ?? estimatedTokens;
  const cost = Math.max(
    reported === undefined ? 1 : 0,
    computeCost(price, { promptTokens, cachedPromptTokens: 0, completionTokens: 0 }),
  );
  const owner = await readBalance();
  const charged = await settleHold({
    hold,
    cost,
    entry: {
      ...closingEntry(hold),
      usage: { promptTokens, cachedPromptTokens: 0, completionTokens: 0 },
      ...(reported === undefined && { isEstimated: true }),
      keySource,
    },
  });
  logger.info('Embeddings settled', { cost: charged, estimated: reported === undefined });
  const balance = (owner?.balance ?? 0) + hold.amount - charged;
  if (owner) {
    await alertIfLow(hold.tenantId, context.alerts, {
      kind: 'user',
      userId: hold.userId,
      email: owner.email,
      balance,
    });
  }
  const overheadMs = Math.max(0, Date.now() - startedAt - upstreamMs);
  metrics.addMetric('ProxyOverhead', MetricUnit.Milliseconds, overheadMs);
  return {
    body: text,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-creditgate-request-id': hold.requestId,
      'x-creditgate-cost': String(charged),
      'x-creditgate-balance': String(balance),
      'x-creditgate-overhead-ms': String(overheadMs),
    },
  };
}

async function fetchEmbeddings(input: {
  request: Record<string, unknown>;
  hold: Hold;
  context: CallContext;
  onSent: () => void;
}): Promise<{ text: string; keySource: KeySource }> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort('timeout'),
    integerEnv('AI_UPSTREAM_IDLE_TIMEOUT_MS', 60_000),
  );
  try {
    const { response, keySource } = await sendWithUpstreamKey({
      tenantId: input.hold.tenantId,
      requestId: input.hold.requestId,
      context: input.context,
      send: (apiKey) =>
        callUpstream({
          path: '/embeddings',
          apiKey,
          body: input.request,
          controller,
          onSent: input.onSent,
        }),
    });
    return { text: await response.text(), keySource };
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof AppError)) {
      throw new AppError('UPSTREAM_TIMEOUT', 'The AI provider did not answer in time', {
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function readPromptTokens(text: string): number | undefined {
  try {
    const tokens = (JSON.parse(text) as { usage?: { prompt_tokens?: unknown } }).usage
      ?.prompt_tokens;
    return typeof tokens === 'number' && Number.isInteger(tokens) && tokens >= 0
      ? tokens
      : undefined;
  } catch {
    throw new AppError('UPSTREAM_ERROR', 'The AI provider sent an invalid response');
  }
}

function closingEntry(hold: Hold) {
  return {
    tenantId: hold.tenantId,
    userId: hold.userId,
    requestId: hold.requestId,
    model: hold.model,
    actorId: hold.userId,
    createdAt: new Date().toISOString(),
  };
}
