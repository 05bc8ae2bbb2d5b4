import { z } from 'zod';

/**
 * The fields of a chat completion request that the proxy uses. Every other field passes
 * through to upstream unchanged, as OpenAI-compatible clients expect.
 */
export const chatRequestSchema = z.looseObject({
  model: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(100),
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
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z
    .number()
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .nullish(),
  max_completion_tokens: z
    .number()
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .nullish(),
  n: z
    .number()
    .int({ error: 'must be an integer' })
    .min(1)
    .max(16, { error: 'must be at most 16' })
    .nullish(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** Largest accepted request body in bytes (Lambda's synchronous payload limit is 6 MB). */
export const MAX_CHAT_BODY_BYTES = 4 * 1024 * 1024;
