import { describe, expect, it } from 'vitest';
import type { TenantUsage } from '../../lib/api-types';
import { usageByUserCsv, usageCsvFileName } from './usage-csv';

function usageOf(users: TenantUsage['users']): TenantUsage {
  const sum = (field: 'calls' | 'cost' | 'promptTokens' | 'completionTokens') =>
    users.reduce((total, user) => total + user[field], 0);
  return {
    from: '2026-11-06',
    to: '2026-12-05',
    totals: {
      calls: sum('calls'),
      cost: sum('cost'),
      promptTokens: sum('promptTokens'),
      completionTokens: sum('completionTokens'),
    },
    days: [],
    users,
    models: [],
    burnRate: { days: 7, creditsPerDay: 0, runsOutOn: null, users: [] },
  };
}

const ada = { userId: 'u-ada', calls: 3, cost: 120, promptTokens: 900, completionTokens: 300 };
const bob = { userId: 'u-bob', calls: 1, cost: 5, promptTokens: 40, completionTokens: 10 };

describe('usageByUserCsv', () => {
  it('lists each user and the totals', () => {
    const emails: Record<string, string> = { 'u-ada': 'ada@example.test' };

    const csv = usageByUserCsv(usageOf([ada, bob]), (userId) => emails[userId] ?? userId);

    expect(csv.split('\r\n')).toEqual([
      'Email,User id,AI calls,Prompt tokens,Completion tokens,Credits',
      'ada@example.test,u-ada,3,900,300,120',
      'u-bob,u-bob,1,40,10,5',
      'Total,,4,940,310,125',
      '',
    ]);
  });

  it('quotes commas, quotes and line breaks', () => {
    const csv = usageByUserCsv(usageOf([ada]), () => 'a "b", c\nd');

    expect(csv.split('\r\n')[1]).toBe('"a ""b"", c\nd",u-ada,3,900,300,120');
  });

  it('defuses text a spreadsheet would run', () => {
    for (const email of [
      '=HYPERLINK("x")@example.test',
      '+1@example.test',
      '-x@example.test',
      '@x',
    ]) {
      const line = usageByUserCsv(usageOf([ada]), () => email).split('\r\n')[1] as string;
      expect(line.replace(/^"/, ''), email).toMatch(/^'/);
    }
  });

  it('has only the header and totals without calls', () => {
    expect(usageByUserCsv(usageOf([]), (userId) => userId).split('\r\n')).toEqual([
      'Email,User id,AI calls,Prompt tokens,Completion tokens,Credits',
      'Total,,0,0,0,0',
      '',
    ]);
  });
});

describe('usageCsvFileName', () => {
  it('names the period', () => {
    expect(usageCsvFileName({ from: '2026-11-06', to: '2026-12-05' })).toBe(
      'usage-by-user-2026-11-06-to-2026-12-05.csv',
    );
  });
});
