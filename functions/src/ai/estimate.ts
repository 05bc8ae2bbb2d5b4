import { computeCost, type ModelPrice } from '@creditgate/shared';

/** Tokens assumed per message for role and framing, on top of its text. */
const TOKENS_PER_MESSAGE = 8;

/** Returns the text of a message's content, whether a string or a list of content parts. */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) =>
      typeof part === 'object' && part !== null && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}

/** Estimates prompt tokens from UTF-8 bytes: about 3 bytes a token, plus framing per message. */
export function estimatePromptTokens(messages: readonly { content?: unknown }[]): number {
  const bytes = messages.reduce(
    (sum, message) => sum + Buffer.byteLength(messageText(message.content)),
    0,
  );
  return Math.ceil(bytes / 3) + TOKENS_PER_MESSAGE * messages.length;
}

/** Estimates completion tokens from generated text when upstream reports no usage. */
export function estimateCompletionTokens(text: string): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(text) / 3));
}

/**
 * Returns the credits to hold before a call: the estimated prompt plus the full token
 * allowance, times the number of choices, priced at the model's rates.
 */
export function estimateHold(input: {
  price: ModelPrice;
  messages: readonly { content?: unknown }[];
  maxTokens: number;
  choices: number;
}): number {
  const promptTokens = estimatePromptTokens(input.messages) * input.choices;
  return Math.max(
    1,
    computeCost(input.price, {
      promptTokens,
      cachedPromptTokens: 0,
      completionTokens: input.maxTokens * input.choices,
    }),
  );
}
