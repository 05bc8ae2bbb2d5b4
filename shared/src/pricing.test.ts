import { describe, expect, it } from 'vitest';
import { computeCost, defaultPriceTable, type ModelPrice } from './pricing';

// One credit per input token, half a credit per cached input token, two per output token.
const price: ModelPrice = { input: 1_000_000, cachedInput: 500_000, output: 2_000_000 };

// One credit per million tokens of each kind, so small usage leaves a fraction.
const cheapPrice: ModelPrice = { input: 1, cachedInput: 1, output: 1 };

describe('computeCost', () => {
  it('prices cached tokens once', () => {
    const usage = { promptTokens: 1_000, cachedPromptTokens: 400, completionTokens: 0 };

    const cost = computeCost(price, usage);

    // 600 uncached at 1 plus 400 cached at 0.5. Pricing the cached part twice would give 1,200.
    expect(cost).toBe(800);
  });

  it('adds output tokens at the output price', () => {
    const usage = { promptTokens: 10, cachedPromptTokens: 0, completionTokens: 5 };

    const cost = computeCost(price, usage);

    expect(cost).toBe(20);
  });

  it('rounds a fraction up', () => {
    const usage = { promptTokens: 1, cachedPromptTokens: 0, completionTokens: 0 };

    const cost = computeCost(cheapPrice, usage);

    expect(cost).toBe(1);
  });

  it('rounds up just above a whole credit', () => {
    const usage = { promptTokens: 1_000_001, cachedPromptTokens: 0, completionTokens: 0 };

    const cost = computeCost(cheapPrice, usage);

    expect(cost).toBe(2);
  });

  it('keeps a whole cost unchanged', () => {
    const usage = { promptTokens: 2_000_000, cachedPromptTokens: 0, completionTokens: 0 };

    const cost = computeCost(cheapPrice, usage);

    expect(cost).toBe(2);
  });

  it('charges nothing for zero usage', () => {
    const usage = { promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0 };

    const cost = computeCost(price, usage);

    expect(cost).toBe(0);
  });

  it('caps cached tokens at prompt tokens', () => {
    const usage = { promptTokens: 100, cachedPromptTokens: 500, completionTokens: 0 };

    const cost = computeCost(price, usage);

    expect(cost).toBe(50);
  });

  it('stays exact at a billion tokens', () => {
    const gpt4o = defaultPriceTable['gpt-4o'] as ModelPrice;
    const usage = {
      promptTokens: 1_000_000_000,
      cachedPromptTokens: 0,
      completionTokens: 1_000_000_000,
    };

    const cost = computeCost(gpt4o, usage);

    expect(cost).toBe(1_250_000_000);
  });
});

describe('defaultPriceTable', () => {
  it('holds integer prices only', () => {
    const prices = Object.values(defaultPriceTable).flatMap((entry) => [
      entry.input,
      entry.cachedInput,
      entry.output,
    ]);

    const nonIntegers = prices.filter((value) => !Number.isInteger(value) || value < 0);

    expect(nonIntegers).toEqual([]);
  });
});
