const DAY_MS = 86_400_000;

/** Returns today's UTC day as `YYYY-MM-DD`, the day format of the usage routes. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Returns the UTC day `count` days after `day` (before it when negative). */
export function addDays(day: string, count: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * DAY_MS).toISOString().slice(0, 10);
}

/** Returns every UTC day from `from` to `to`, both included, or none when `from` is later. */
export function listDays(from: string, to: string): string[] {
  const days: string[] = [];
  // Bounded by a year, so a wrong range cannot build a huge list.
  for (let day = from; day <= to && days.length < 366; day = addDays(day, 1)) days.push(day);
  return days;
}

/** Returns the first day of `day`'s UTC month. */
export function firstDayOfMonth(day: string): string {
  return `${day.slice(0, 8)}01`;
}

const dayFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const dayWithYearFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * Formats a UTC day such as `2026-12-04` as `Dec 4`, with the year (`Sep 26, 2027`) when it
 * is not the current UTC year.
 */
export function formatDay(day: string, now = new Date()): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  const isThisYear = date.getUTCFullYear() === now.getUTCFullYear();
  return (isThisYear ? dayFormat : dayWithYearFormat).format(date);
}

/** Projections further out than this read as "More than a year" instead of a date. */
const RUN_OUT_HORIZON_DAYS = 365;

/**
 * Formats a projected run-out day: the day within a year from `today`, else "More than a
 * year", because a burn rate measured over days predicts little about a date years away.
 */
export function formatRunOutDay(day: string, today = todayUtc()): string {
  if (day > addDays(today, RUN_OUT_HORIZON_DAYS)) return 'More than a year';
  return formatDay(day, new Date(`${today}T00:00:00Z`));
}
