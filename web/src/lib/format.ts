import { MAX_CREDIT_AMOUNT, MIN_CREDIT_AMOUNT, type Role } from '@creditgate/shared';

const creditFormat = new Intl.NumberFormat('en-US');

/** Formats an integer credit amount with thousands separators, such as `12,500`. */
export function formatCredits(amount: number): string {
  return creditFormat.format(amount);
}

const rateFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Formats a rate such as credits per day with up to two decimals, such as `0.14` or `1,250`. */
export function formatRate(value: number): string {
  return rateFormat.format(value);
}

/** Formats an amount with its unit, such as `1 credit` or `12,500 credits`. */
export function formatCreditCount(amount: number): string {
  return `${formatCredits(amount)} ${amount === 1 ? 'credit' : 'credits'}`;
}

/** The message of an amount that `parseCreditAmount` rejects, with the API's bounds. */
export const INVALID_CREDIT_AMOUNT_MESSAGE = `Enter a whole number of credits from ${formatCredits(MIN_CREDIT_AMOUNT)} to ${formatCredits(MAX_CREDIT_AMOUNT)}.`;

/**
 * Parses an amount typed into a form, allowing thousands separators. Returns undefined
 * unless the text is a whole number within the bounds the API accepts for credit amounts.
 */
export function parseCreditAmount(text: string): number | undefined {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (!/^\d+$/.test(trimmed)) return undefined;
  const amount = Number(trimmed);
  return amount >= MIN_CREDIT_AMOUNT && amount <= MAX_CREDIT_AMOUNT ? amount : undefined;
}

const roleLabels: Record<Role, string> = {
  SuperAdmin: 'Platform admin',
  TenantAdmin: 'Tenant admin',
  User: 'User',
};

/** Returns the label the screens use for a role. */
export function formatRole(role: Role): string {
  return roleLabels[role];
}

const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/**
 * Formats an ISO 8601 timestamp in the browser's time zone, such as `Dec 4, 2026, 2:05 PM`.
 * Returns `—` for null and the text itself when it is no valid date.
 */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}
