import { z } from 'zod';

/**
 * The fields of an embeddings request that the proxy uses; other fields pass through. The
 * input is one text, a list of texts, or token ids, as OpenAI accepts.
 */
export const embeddingsRequestSchema = z.looseObject({
  model: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(100),
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

/**
 * Estimates the input tokens of an embeddings request: about 3 UTF-8 bytes a token for
 * text, the count itself for token ids. The estimate sizes the hold; the upstream's
 * reported usage sets the cost.
 */
export function estimateEmbeddingTokens(input: EmbeddingsRequest['input']): number {
  if (typeof input === 'string') return Math.max(1, Math.ceil(Buffer.byteLength(input) / 3));
  let tokens = 0;
  for (const item of input) {
    if (typeof item === 'string') tokens += Math.max(1, Math.ceil(Buffer.byteLength(item) / 3));
    else if (typeof item === 'number') tokens += 1;
    else tokens += item.length;
  }
  return Math.max(1, tokens);
}
