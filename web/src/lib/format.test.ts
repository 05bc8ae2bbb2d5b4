import { describe, expect, it } from 'vitest';
import { formatCredits, formatDateTime, parseCreditAmount } from './format';

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

describe('formatDateTime', () => {
  it('formats an ISO timestamp', () => {
    expect(formatDateTime('2026-12-04T14:05:00.000Z')).toMatch(
      /^Dec \d{1,2}, 2026, \d{1,2}:\d{2}\s?[AP]M$/,
    );
  });

  it.each([null, undefined, ''])('shows a dash for %j', (value) => {
    expect(formatDateTime(value)).toBe('—');
  });

  it('returns text that is no date unchanged', () => {
    expect(formatDateTime('soon')).toBe('soon');
  });
});
