import { randomBytes } from 'node:crypto';
import type { UsageOverride } from './control.js';
import { isRecord } from './json-body.js';
import { isReasoningModel, requireModel } from './models.js';
import {
  createInvalidTypeError,
  createInvalidValueError,
  createMissingParameterError,
  OpenAiHttpError,
} from './openai-error.js';
import { createJsonReply, type UpstreamReply } from './upstream-reply.js';

/*
 * Token rules. They are stand-ins for a tokenizer, chosen so that Creditgate's hold estimate
 * (`ceil(prompt bytes / 3) + 8 per message` plus the max tokens) always covers the real cost.
 */

/** UTF-8 bytes per token, rounded up per text. */
export const BYTES_PER_TOKEN = 4;
/** Tokens added for each message's role and framing. */
export const TOKENS_PER_MESSAGE = 4;
/** Tokens added once per request for priming the assistant's reply. */
export const REPLY_PRIMING_TOKENS = 3;
/**
 * A first message with role `system` or `developer` whose text has at least this many UTF-8
 * bytes counts as a cached prompt prefix: all of that message's tokens are `cached_tokens`.
 */
export const CACHED_PREFIX_MIN_BYTES = 1024;
/** Reasoning tokens per choice for reasoning models (o-series and gpt-5 names). */
export const REASONING_TOKENS = 16;
/** Words of the last user message that the reply echoes. */
export const ECHOED_WORD_LIMIT = 12;

const MAX_CHOICES = 128;
const messageRoles = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
const defaultReplyPieces = ['Hello', ' from', ' the', ' local', ' upstream.'];

/** The fields of a chat completion request that decide the reply and its usage. */
export interface ChatCompletionRequest {
  model: string;
  messages: unknown[];
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  /** Number of choices; completion tokens are counted for each. Default 1. */
  n?: number | null;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

interface CompletionPlan {
  /** Content pieces of one choice after the max-tokens cap; one piece is one token. */
  pieces: string[];
  finishReason: 'stop' | 'length';
  usage: ChatUsage;
}

export interface ChatReplyOptions {
  stream: boolean;
  includeUsage: boolean;
  /** Leaves `usage` out of the JSON body and out of every stream chunk. */
  omitUsage: boolean;
  /** Number of content pieces per choice in place of the echoed sentence's word count. */
  chunks: number | undefined;
  /** Token counts reported in place of the computed ones. */
  usageOverride?: UsageOverride;
}

/**
 * Computes the usage the upstream reports for a request, identical for streamed and plain
 * calls:
 * - `prompt_tokens`: for each message `4 + ceil(bytes / 4)` of its text (content, name, tool
 *   calls), plus 3 per request.
 * - `cached_tokens`: the tokens of the first message when it is a `system` or `developer`
 *   message of at least 1024 UTF-8 bytes, else 0.
 * - `completion_tokens`: per choice, one token per reply piece (the word `Echo:` and up to 12
 *   words of the last user message), plus 16 reasoning tokens for o-series and gpt-5 models.
 *   The smaller of `max_tokens` and `max_completion_tokens` caps it, and it is counted `n` times.
 */
export function computeUsage(request: ChatCompletionRequest): ChatUsage {
  return planCompletion(request, undefined).usage;
}

/**
 * Validates a chat completion body as OpenAI does for the fields this upstream reads, and
 * throws an `OpenAiHttpError` (400 or 404) naming the first invalid field.
 */
export function parseChatRequest(
  body: unknown,
): ChatCompletionRequest & { stream: boolean; includeUsage: boolean } {
  if (!isRecord(body)) {
    throw new OpenAiHttpError(400, 'The request body must be a JSON object.');
  }
  if (body.model === undefined || body.model === null) {
    throw createMissingParameterError('model');
  }
  if (typeof body.model !== 'string') {
    throw createInvalidTypeError('model', 'a string');
  }
  requireModel(body.model, 'chat');

  const messages = parseMessages(body.messages);
  const maxTokens = parseOptionalCount(body.max_tokens, 'max_tokens');
  const maxCompletionTokens = parseOptionalCount(
    body.max_completion_tokens,
    'max_completion_tokens',
  );
  // OpenAI rejects `max_tokens` for reasoning models, so a proxy that sends it fails there too.
  if (maxTokens !== undefined && isReasoningModel(body.model)) {
    throw new OpenAiHttpError(
      400,
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      { param: 'max_tokens', code: 'unsupported_parameter' },
    );
  }

  const n = parseOptionalCount(body.n, 'n');
  if (n !== undefined && n > MAX_CHOICES) {
    throw createInvalidValueError('n', `expected at most ${MAX_CHOICES}, got ${n}.`);
  }

  const stream = parseStreamFlag(body.stream);
  const includeUsage = parseStreamOptions(body.stream_options, stream);
  return {
    model: body.model,
    messages,
    max_tokens: maxTokens,
    max_completion_tokens: maxCompletionTokens,
    n,
    stream,
    includeUsage,
  };
}

/** Builds the chat completion as a JSON body or as SSE chunks, following `options`. */
export function buildChatReply(
  request: ChatCompletionRequest,
  options: ChatReplyOptions,
): UpstreamReply {
  const plan = withUsageOverride(planCompletion(request, options.chunks), options.usageOverride);
  const choiceCount = request.n ?? 1;
  const header = {
    id: `chatcmpl-${randomBytes(12).toString('hex')}`,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
  };

  if (!options.stream) {
    const content = plan.pieces.join('');
    const choices = Array.from({ length: choiceCount }, (_, index) => ({
      index,
      message: { role: 'assistant', content, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: plan.finishReason,
    }));
    const body = {
      id: header.id,
      object: 'chat.completion',
      created: header.created,
      model: header.model,
      choices,
      ...(options.omitUsage ? {} : { usage: plan.usage }),
    };
    return createJsonReply(200, body);
  }

  // OpenAI adds `usage: null` to every chunk only when the client requested the usage chunk.
  const usageField = options.includeUsage && !options.omitUsage ? { usage: null } : {};
  const toChunk = (choices: unknown[]) =>
    JSON.stringify({
      id: header.id,
      object: 'chat.completion.chunk',
      created: header.created,
      model: header.model,
      choices,
      ...usageField,
    });

  // With no content (max tokens spent on reasoning) one chunk still carries the role.
  const contentPieces = plan.pieces.length > 0 ? plan.pieces : [''];
  const contentEvents: string[] = [];
  contentPieces.forEach((piece, pieceIndex) => {
    for (let index = 0; index < choiceCount; index += 1) {
      const delta = pieceIndex === 0 ? { role: 'assistant', content: piece } : { content: piece };
      contentEvents.push(toChunk([{ index, delta, logprobs: null, finish_reason: null }]));
    }
  });

  const closingEvents: string[] = [];
  for (let index = 0; index < choiceCount; index += 1) {
    closingEvents.push(
      toChunk([{ index, delta: {}, logprobs: null, finish_reason: plan.finishReason }]),
    );
  }
  if (options.includeUsage && !options.omitUsage) {
    closingEvents.push(
      JSON.stringify({
        id: header.id,
        object: 'chat.completion.chunk',
        created: header.created,
        model: header.model,
        choices: [],
        usage: plan.usage,
      }),
    );
  }
  return { kind: 'sse', contentEvents, closingEvents };
}

function withUsageOverride(
  plan: CompletionPlan,
  override: UsageOverride | undefined,
): CompletionPlan {
  if (!override) return plan;
  const promptTokens = override.prompt_tokens ?? plan.usage.prompt_tokens;
  const completionTokens = override.completion_tokens ?? plan.usage.completion_tokens;
  return {
    ...plan,
    usage: {
      ...plan.usage,
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: {
        cached_tokens: override.cached_tokens ?? plan.usage.prompt_tokens_details.cached_tokens,
      },
    },
  };
}

function planCompletion(
  request: ChatCompletionRequest,
  chunks: number | undefined,
): CompletionPlan {
  const choiceCount = request.n ?? 1;
  const limit = findTokenLimit(request);
  const reasoningTokens = isReasoningModel(request.model) ? Math.min(REASONING_TOKENS, limit) : 0;
  const allPieces = buildReplyPieces(request.messages, chunks);
  const pieces = allPieces.slice(0, Math.max(0, limit - reasoningTokens));
  const isCut = reasoningTokens + allPieces.length > limit;

  const promptTokens =
    request.messages.reduce<number>((sum, message) => sum + countMessageTokens(message), 0) +
    REPLY_PRIMING_TOKENS;
  const completionTokens = (reasoningTokens + pieces.length) * choiceCount;
  return {
    pieces,
    finishReason: isCut ? 'length' : 'stop',
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: countCachedTokens(request.messages) },
      completion_tokens_details: { reasoning_tokens: reasoningTokens * choiceCount },
    },
  };
}

/** Returns the smaller of `max_tokens` and `max_completion_tokens`, or Infinity if neither. */
function findTokenLimit(request: ChatCompletionRequest): number {
  const limits = [request.max_tokens, request.max_completion_tokens].filter(
    (value): value is number => typeof value === 'number',
  );
  return limits.length > 0 ? Math.min(...limits) : Number.POSITIVE_INFINITY;
}

/**
 * Splits the reply into one-token pieces: `Echo:` and then up to 12 words of the last user
 * message, each with its leading space. With `chunks` set, the pieces repeat or stop so that
 * there are exactly that many.
 */
function buildReplyPieces(messages: unknown[], chunks: number | undefined): string[] {
  const lastUserMessage = messages.findLast(
    (message) => isRecord(message) && message.role === 'user',
  );
  const words = isRecord(lastUserMessage)
    ? extractText(lastUserMessage.content).split(/\s+/).filter(Boolean).slice(0, ECHOED_WORD_LIMIT)
    : [];
  const pieces =
    words.length > 0 ? ['Echo:', ...words.map((word) => ` ${word}`)] : defaultReplyPieces;
  if (chunks === undefined) {
    return pieces;
  }
  return Array.from({ length: chunks }, (_, index) => {
    const piece = pieces[index % pieces.length] ?? '';
    return index < pieces.length ? piece : ` ${piece.trimStart()}`;
  });
}

function countMessageTokens(message: unknown): number {
  if (!isRecord(message)) {
    return TOKENS_PER_MESSAGE + countTextTokens(JSON.stringify(message) ?? '');
  }
  let tokens = TOKENS_PER_MESSAGE + countContentTokens(message.content);
  if (typeof message.name === 'string') {
    tokens += countTextTokens(message.name);
  }
  if (message.tool_calls !== undefined && message.tool_calls !== null) {
    tokens += countTextTokens(JSON.stringify(message.tool_calls));
  }
  return tokens;
}

function countContentTokens(content: unknown): number {
  if (content === undefined || content === null) {
    return 0;
  }
  if (typeof content === 'string') {
    return countTextTokens(content);
  }
  if (!Array.isArray(content)) {
    return countTextTokens(JSON.stringify(content));
  }
  // Text parts count their text; other parts (images, audio, files) count their JSON.
  return content.reduce<number>((sum, part) => {
    const text =
      isRecord(part) && part.type === 'text' && typeof part.text === 'string'
        ? part.text
        : JSON.stringify(part);
    return sum + countTextTokens(text);
  }, 0);
}

function countCachedTokens(messages: unknown[]): number {
  const first = messages[0];
  if (!isRecord(first) || (first.role !== 'system' && first.role !== 'developer')) {
    return 0;
  }
  const bytes = Buffer.byteLength(extractText(first.content), 'utf8');
  return bytes >= CACHED_PREFIX_MIN_BYTES ? countMessageTokens(first) : 0;
}

function countTextTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);
}

/** Returns a string content, or the text parts of a content array joined by spaces. */
function extractText(content: unknown): string {
  if (typeof content === 'string') {
    return content;
  }
  if (!Array.isArray(content)) {
    return '';
  }
  return content
    .filter((part) => isRecord(part) && part.type === 'text' && typeof part.text === 'string')
    .map((part) => (part as { text: string }).text)
    .join(' ');
}

function parseMessages(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    throw createMissingParameterError('messages');
  }
  if (!Array.isArray(value)) {
    throw createInvalidTypeError('messages', 'an array');
  }
  if (value.length === 0) {
    throw new OpenAiHttpError(
      400,
      "Invalid 'messages': empty array. Expected an array with minimum length 1.",
      { param: 'messages', code: 'empty_array' },
    );
  }
  value.forEach((message, index) => {
    const param = `messages[${index}]`;
    if (!isRecord(message)) {
      throw createInvalidTypeError(param, 'an object');
    }
    if (message.role === undefined) {
      throw createMissingParameterError(`${param}.role`);
    }
    if (typeof message.role !== 'string' || !messageRoles.includes(message.role)) {
      throw createInvalidValueError(
        `${param}.role`,
        `expected one of ${messageRoles.join(', ')}, got ${JSON.stringify(message.role)}.`,
      );
    }
    const content = message.content;
    if (content !== undefined && content !== null && typeof content !== 'string') {
      if (!Array.isArray(content)) {
        throw createInvalidTypeError(`${param}.content`, 'a string or an array of content parts');
      }
      content.forEach((part, partIndex) => {
        if (!isRecord(part) || typeof part.type !== 'string') {
          throw createInvalidTypeError(
            `${param}.content[${partIndex}]`,
            'an object with a string `type`',
          );
        }
        if (part.type === 'text' && typeof part.text !== 'string') {
          throw createInvalidTypeError(`${param}.content[${partIndex}].text`, 'a string');
        }
      });
    }
  });
  return value;
}

/** Parses an optional positive integer; null and a missing field both mean "not set". */
function parseOptionalCount(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw createInvalidTypeError(param, 'an integer');
  }
  if (value < 1) {
    throw new OpenAiHttpError(
      400,
      `Invalid '${param}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`,
      { param, code: 'integer_below_min_value' },
    );
  }
  return value;
}

function parseStreamFlag(value: unknown): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  if (typeof value !== 'boolean') {
    throw createInvalidTypeError('stream', 'a boolean');
  }
  return value;
}

/** Returns `include_usage`; OpenAI rejects `stream_options` on a request that does not stream. */
function parseStreamOptions(value: unknown, stream: boolean): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  if (!stream) {
    throw new OpenAiHttpError(
      400,
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      { param: 'stream_options', code: 'invalid_value' },
    );
  }
  if (!isRecord(value)) {
    throw createInvalidTypeError('stream_options', 'an object');
  }
  return value.include_usage === true;
}
