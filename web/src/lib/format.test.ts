import { describe, expect, it } from 'vitest';
import { formatCredits, parseCreditAmount } from './format';

describe('parseCreditAmount', () => {
  it.each([
    ['1', 1],
    [' 5,000 ', 5000],
    ['1_000_000', 1_000_000],
    ['1000000000000', 1_000_000_000_000],
  ])('accepts %j', (text, amount) => {
    expect(parseCreditAmount(text)).toBe(amount);
  });

  it.each(['', '0', '-5', '1.5', '1e3', 'ten', '1000000000001'])('rejects %j', (text) => {
    expect(parseCreditAmount(text)).toBeUndefined();
  });
});

describe('formatCredits', () => {
  it('adds thousands separators', () => {
    expect(formatCredits(1234567)).toBe('1,234,567');
  });
});
