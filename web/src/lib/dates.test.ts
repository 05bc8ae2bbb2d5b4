import { describe, expect, it } from 'vitest';
import { addDays, firstDayOfMonth, formatDay, formatRunOutDay, listDays, todayUtc } from './dates';

describe('dates', () => {
  it('reads today in UTC', () => {
    expect(todayUtc(new Date('2026-12-04T23:59:59-05:00'))).toBe('2026-12-05');
  });

  it('adds days across months', () => {
    expect(addDays('2026-11-29', 3)).toBe('2026-12-02');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('lists days inclusive', () => {
    expect(listDays('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(listDays('2026-12-05', '2026-12-04')).toEqual([]);
  });

  it('caps a list at 366 days', () => {
    expect(listDays('2020-01-01', '2030-01-01')).toHaveLength(366);
  });

  it('finds the first of the month', () => {
    expect(firstDayOfMonth('2026-12-04')).toBe('2026-12-01');
  });

  it('formats a day in UTC', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    expect(formatDay('2026-12-04', now)).toBe('Dec 4');
    expect(formatDay('2027-09-26', now)).toBe('Sep 26, 2027');
  });
});

describe('formatRunOutDay', () => {
  it('shows a day within a year', () => {
    expect(formatRunOutDay('2027-03-01', '2026-12-05')).toBe('Mar 1, 2027');
  });

  it('shows a later day as more than a year', () => {
    expect(formatRunOutDay('2027-12-06', '2026-12-05')).toBe('More than a year');
    expect(formatRunOutDay('2189-10-24', '2026-12-05')).toBe('More than a year');
  });
});
