/**
 * Credit prices and the cost of one AI call. A price is integer credits per 1M tokens.
 */
export interface ModelPrice {
  input: number;
  cachedInput: number;
  output: number;
}

export type PriceTable = Record<string, ModelPrice>;

/**
 * Default prices, about $0.00001 a credit: gpt-4o-mini at $0.15 / $0.60 per 1M tokens is
 * 15,000 / 60,000 credits per 1M tokens.
 */
export const defaultPriceTable: PriceTable = {
  'gpt-4o-mini': { input: 15_000, cachedInput: 7_500, output: 60_000 },
  'gpt-4o': { input: 250_000, cachedInput: 125_000, output: 1_000_000 },
  'o4-mini': { input: 110_000, cachedInput: 27_500, output: 440_000 },
  'text-embedding-3-small': { input: 2_000, cachedInput: 2_000, output: 0 },
};

/** Token counts as OpenAI reports them: cached tokens are part of prompt tokens. */
export interface TokenUsage {
  promptTokens: number;
  cachedPromptTokens: number;
  completionTokens: number;
}

/**
 * Returns the cost in credits: `ceil((uncached * input + cached * cachedInput + output *
 * output) / 1e6)`. Reasoning tokens are part of completion tokens, so they are priced once.
 */
export function computeCost(price: ModelPrice, usage: TokenUsage): number {
  const cached = Math.min(usage.cachedPromptTokens, usage.promptTokens);
  const uncached = usage.promptTokens - cached;
  // Integer arithmetic stays exact below 2^53: 10^9 tokens times 10^6 credits is 10^15.
  const micro =
    uncached * price.input + cached * price.cachedInput + usage.completionTokens * price.output;
  return Math.ceil(micro / 1_000_000);
}
