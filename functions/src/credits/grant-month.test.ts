import { afterEach, describe, expect, it } from 'vitest';
import { monthOf, resolveGrantMonth } from './grant-month';

const now = new Date('2026-12-04T12:00:00.000Z');

describe('monthOf', () => {
  const originalTimeZone = process.env.TZ;

  afterEach(() => {
    // Node applies a change of process.env.TZ at once, so each test restores it.
    if (originalTimeZone === undefined) delete process.env.TZ;
    else process.env.TZ = originalTimeZone;
  });

  it.each([
    ['2026-11-30T23:59:59.999Z', '2026-11'],
    ['2026-12-01T00:00:00.000Z', '2026-12'],
    ['2026-12-31T23:59:59.999Z', '2026-12'],
    ['2027-01-01T00:00:00.000Z', '2027-01'],
    ['2028-02-29T12:00:00.000Z', '2028-02'],
  ])('%s is in %s', (time, month) => {
    expect(monthOf(new Date(time))).toBe(month);
  });

  it.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata'])(
    'ignores process time zone %s',
    (timeZone) => {
      process.env.TZ = timeZone;

      expect(monthOf(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11');
      expect(monthOf(new Date('2026-12-01T00:00:00.000Z'))).toBe('2026-12');
    },
  );

  it('rejects invalid date', () => {
    expect(() => monthOf(new Date('not a date'))).toThrow(/invalid date/);
  });
});

describe('resolveGrantMonth', () => {
  it.each([
    ['2026-12-01T00:30:00+01:00', '2026-11'],
    ['2026-11-30T19:00:00-05:00', '2026-12'],
    ['2026-12-01T00:05:00Z', '2026-12'],
  ])('takes UTC month of event time %s', (time, month) => {
    expect(resolveGrantMonth({ time, 'detail-type': 'Scheduled Event' }, now)).toBe(month);
  });

  it('prefers payload month over event time', () => {
    expect(resolveGrantMonth({ month: '2026-03', time: '2026-12-01T00:05:00Z' }, now)).toBe(
      '2026-03',
    );
  });

  it('falls back to clock month', () => {
    expect(resolveGrantMonth({}, now)).toBe('2026-12');
    expect(resolveGrantMonth(undefined, now)).toBe('2026-12');
  });

  it.each(['2026-13', '2026-00', '26-12', '2026-1', '2026-12-01', ''])(
    'rejects month %j',
    (month) => {
      expect(() => resolveGrantMonth({ month }, now)).toThrow(/month must be a month as YYYY-MM/);
    },
  );

  it('rejects invalid event time', () => {
    expect(() => resolveGrantMonth({ time: 'yesterday' }, now)).toThrow(/time "yesterday"/);
  });

  it('rejects non-object event', () => {
    expect(() => resolveGrantMonth('2026-12', now)).toThrow(/Invalid monthly grant event/);
  });
});
