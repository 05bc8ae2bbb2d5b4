import type { EmbeddingsRequest } from '@creditgate/shared';

export { type EmbeddingsRequest, embeddingsRequestSchema } from '@creditgate/shared';

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
