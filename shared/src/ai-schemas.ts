import { z } from 'zod';

/** Request schemas of the OpenAI-compatible routes. */

/**
 * The fields of a chat completion request that the proxy uses. Every other field passes
 * through to upstream unchanged, as OpenAI-compatible clients expect.
 */
const modelSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'must be at most 100 characters' });

/** A positive whole number of tokens, or null for the default. */
const tokenCountSchema = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be an integer' })
  .min(1, { error: 'must be at least 1' })
  .nullish();

export const chatRequestSchema = z.looseObject({
  model: modelSchema,
  messages: z
    .array(
      z.looseObject({
        role: z.string({ error: 'must be a string' }),
        content: z.unknown().optional(),
      }),
      { error: 'must be an array of messages' },
    )
    .min(1, { error: 'must contain at least one message' })
    .max(4096, { error: 'must contain at most 4096 messages' }),
  stream: z.boolean({ error: 'must be a boolean' }).nullish(),
  stream_options: z
    .looseObject(
      { include_usage: z.boolean({ error: 'must be a boolean' }).nullish() },
      { error: 'must be an object' },
    )
    .nullish(),
  max_tokens: tokenCountSchema,
  max_completion_tokens: tokenCountSchema,
  n: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .max(16, { error: 'must be at most 16' })
    .nullish(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/**
 * The fields of an embeddings request that the proxy uses; other fields pass through. The
 * input is one text, a list of texts, or token ids, as OpenAI accepts.
 */
export const embeddingsRequestSchema = z.looseObject({
  model: modelSchema,
  input: z.union(
    [
      z.string().max(1_000_000),
      z.array(z.string().max(1_000_000)).min(1).max(2048),
      z.array(z.number().int().min(0)).min(1).max(1_000_000),
      z
        .array(z.array(z.number().int().min(0)).min(1))
        .min(1)
        .max(2048),
    ],
    { error: 'must be a string, an array of strings, or token ids' },
  ),
});
export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;
