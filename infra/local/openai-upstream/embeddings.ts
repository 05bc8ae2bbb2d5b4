import { createHash } from 'node:crypto';
import { BYTES_PER_TOKEN } from './chat-completions.js';
import { isRecord } from './json-body.js';
import { requireModel } from './models.js';
import {
  createInvalidTypeError,
  createInvalidValueError,
  createMissingParameterError,
  OpenAiHttpError,
} from './openai-error.js';
import { createJsonReply, type JsonReply } from './upstream-reply.js';

/** Vector length when the request sets no `dimensions`. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 16;
/** text-embedding-3-small's native length, the largest `dimensions` OpenAI accepts for it. */
const MAX_EMBEDDING_DIMENSIONS = 1536;
/** OpenAI's limit on inputs per embeddings request. */
const MAX_INPUTS = 2048;

/**
 * One input to embed. OpenAI also accepts token id lists; those are hashed as `tokens:<ids>`
 * and count one token per id.
 */
interface EmbeddingInput {
  text: string;
  tokens: number;
}

/**
 * Computes a deterministic unit-length vector from the SHA-256 of the input. Each value is
 * rounded to float32, so the float and base64 encodings of a reply hold the same numbers.
 */
export function computeEmbedding(
  text: string,
  dimensions: number = DEFAULT_EMBEDDING_DIMENSIONS,
): number[] {
  const bytes = Buffer.alloc(dimensions * 4);
  for (let block = 0; block * 32 < bytes.length; block += 1) {
    createHash('sha256')
      .update(`${block}:${text}`)
      .digest()
      .copy(bytes, block * 32);
  }
  const raw = Array.from({ length: dimensions }, (_, index) => {
    return (bytes.readUInt32LE(index * 4) / 2 ** 32) * 2 - 1;
  });
  const norm = Math.sqrt(raw.reduce((sum, value) => sum + value * value, 0)) || 1;
  return raw.map((value) => Math.fround(value / norm));
}

/** Encodes a vector as OpenAI's `base64` format: little-endian float32 bytes. */
export function encodeEmbeddingBase64(vector: number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => {
    buffer.writeFloatLE(value, index * 4);
  });
  return buffer.toString('base64');
}

/** Validates an embeddings body and builds the reply; usage is 1 token per 4 UTF-8 bytes. */
export function buildEmbeddingsReply(body: unknown, options: { omitUsage: boolean }): JsonReply {
  if (!isRecord(body)) {
    throw new OpenAiHttpError(400, 'The request body must be a JSON object.');
  }
  if (body.model === undefined || body.model === null) {
    throw createMissingParameterError('model');
  }
  if (typeof body.model !== 'string') {
    throw createInvalidTypeError('model', 'a string');
  }
  requireModel(body.model, 'embedding');

  const inputs = parseInputs(body.input);
  const encodingFormat = parseEncodingFormat(body.encoding_format);
  const dimensions = parseDimensions(body.dimensions);

  const data = inputs.map((input, index) => {
    const vector = computeEmbedding(input.text, dimensions);
    return {
      object: 'embedding',
      index,
      embedding: encodingFormat === 'base64' ? encodeEmbeddingBase64(vector) : vector,
    };
  });
  const promptTokens = inputs.reduce((sum, input) => sum + input.tokens, 0);
  return createJsonReply(200, {
    object: 'list',
    data,
    model: body.model,
    ...(options.omitUsage
      ? {}
      : { usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }),
  });
}

function parseInputs(value: unknown): EmbeddingInput[] {
  if (value === undefined || value === null) {
    throw createMissingParameterError('input');
  }
  if (typeof value === 'string') {
    return [parseTextInput(value, 'input')];
  }
  if (!Array.isArray(value)) {
    throw createInvalidTypeError('input', 'a string or an array');
  }
  if (value.length === 0) {
    throw createInvalidValueError('input', 'expected at least one input, got an empty array.');
  }
  if (value.length > MAX_INPUTS) {
    throw createInvalidValueError(
      'input',
      `expected at most ${MAX_INPUTS} inputs, got ${value.length}.`,
    );
  }
  if (value.every((item) => typeof item === 'number')) {
    return [parseTokenInput(value, 'input')];
  }
  return value.map((item, index) => {
    const param = `input[${index}]`;
    if (typeof item === 'string') {
      return parseTextInput(item, param);
    }
    if (Array.isArray(item)) {
      return parseTokenInput(item, param);
    }
    throw createInvalidTypeError(param, 'a string or an array of token ids');
  });
}

function parseTextInput(text: string, param: string): EmbeddingInput {
  if (text === '') {
    throw createInvalidValueError(param, 'expected a non-empty string.');
  }
  return { text, tokens: Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN) };
}

function parseTokenInput(tokens: unknown[], param: string): EmbeddingInput {
  if (tokens.length === 0) {
    throw createInvalidValueError(param, 'expected at least one token id.');
  }
  if (!tokens.every((token) => Number.isInteger(token) && (token as number) >= 0)) {
    throw createInvalidTypeError(param, 'an array of non-negative integer token ids');
  }
  return { text: `tokens:${tokens.join(',')}`, tokens: tokens.length };
}

function parseEncodingFormat(value: unknown): 'float' | 'base64' {
  if (value === undefined || value === null || value === 'float') {
    return 'float';
  }
  if (value === 'base64') {
    return 'base64';
  }
  throw createInvalidValueError(
    'encoding_format',
    `expected "float" or "base64", got ${JSON.stringify(value)}.`,
  );
}

function parseDimensions(value: unknown): number {
  if (value === undefined || value === null) {
    return DEFAULT_EMBEDDING_DIMENSIONS;
  }
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_EMBEDDING_DIMENSIONS
  ) {
    throw createInvalidValueError(
      'dimensions',
      `expected an integer from 1 to ${MAX_EMBEDDING_DIMENSIONS}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}
