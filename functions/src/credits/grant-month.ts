import { z } from 'zod';

/** A UTC calendar month as `YYYY-MM`, the unit of monthly plan credits. */
export const grantMonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month as YYYY-MM' });

/** Returns the UTC calendar month of `date` as `YYYY-MM`, whatever the process time zone. */
export function monthOf(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error('Cannot take the month of an invalid date');
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${date.getUTCFullYear()}-${month}`;
}

const jobEventSchema = z.object({
  /** Set by an operator or the local command to grant a given month. */
  month: grantMonthSchema.optional(),
  /** EventBridge's scheduled event time, ISO 8601 (such as `2026-12-01T00:05:00Z`). */
  time: z.string().optional(),
});

/**
 * Picks the month a monthly grant run is for: the payload's `month`, else the month of the
 * EventBridge event's `time` (a retried event keeps its original time), else the month of
 * `now`. A month given explicitly is taken as is, past or future. Throws on an invalid
 * `month` or `time`.
 */
export function resolveGrantMonth(event: unknown, now: Date): string {
  const parsed = jobEventSchema.safeParse(event ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'event';
    throw new Error(`Invalid monthly grant event: ${field} ${issue?.message ?? 'is invalid'}`);
  }
  if (parsed.data.month) return parsed.data.month;
  if (parsed.data.time !== undefined) {
    const time = new Date(parsed.data.time);
    if (Number.isNaN(time.getTime())) {
      throw new Error(`Invalid monthly grant event: time "${parsed.data.time}" is not a date`);
    }
    return monthOf(time);
  }
  return monthOf(now);
}
