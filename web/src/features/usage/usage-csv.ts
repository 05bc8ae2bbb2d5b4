import type { TenantUsage } from '../../lib/api-types';

const HEADER = ['Email', 'User id', 'AI calls', 'Prompt tokens', 'Completion tokens', 'Credits'];

/**
 * Builds a CSV (RFC 4180, CRLF line ends) of a tenant's usage per user in the period, for
 * charging departments back: one row per user with calls, tokens and credits spent, and a
 * last row with the totals. `emailOf` names each user and may return the id.
 */
export function usageByUserCsv(usage: TenantUsage, emailOf: (userId: string) => string): string {
  const rows: (string | number)[][] = [HEADER];
  for (const user of usage.users) {
    rows.push([
      emailOf(user.userId),
      user.userId,
      user.calls,
      user.promptTokens,
      user.completionTokens,
      user.cost,
    ]);
  }
  const { totals } = usage;
  rows.push(['Total', '', totals.calls, totals.promptTokens, totals.completionTokens, totals.cost]);
  return `${rows.map((row) => row.map(toCsvCell).join(',')).join('\r\n')}\r\n`;
}

/** Returns the per-user CSV's file name, such as `usage-by-user-2026-11-06-to-2026-12-05.csv`. */
export function usageCsvFileName(usage: Pick<TenantUsage, 'from' | 'to'>): string {
  return `usage-by-user-${usage.from}-to-${usage.to}.csv`;
}

/**
 * Quotes a cell where CSV needs it. Emails come from what admins typed, so text that a
 * spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return) gets a leading `'`, and opening the file runs nothing.
 */
function toCsvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Saves `text` as a file in the browser's downloads, through a temporary object URL. */
export function downloadTextFile(fileName: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once, so that a browser that starts the download late still finds it.
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}

/** How long a download's object URL stays valid. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;
