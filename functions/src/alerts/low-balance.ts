import { formatCount } from '@creditgate/shared';
import { monthOf } from '../credits/grant-month';
import { logger } from '../lib/logger';
import { emailTenantAdmins } from '../notifications/mailer';
import type { AlertSettings } from './alert-settings';
import { claimLowBalanceAlert } from './alerts.repository';

/** Alerts this function instance already claimed, so calls below a threshold write nothing. */
const claimed = new Set<string>();

/** A balance that just changed, with whose it is. */
export type CheckedBalance =
  | { kind: 'pool'; balance: number }
  | { kind: 'user'; userId: string; email: string; balance: number };

/**
 * Emails the tenant's admins when a balance is below its alert threshold, once per threshold,
 * balance owner and UTC month. The first instance to claim the month's record sends the
 * email, and every later crossing, here or elsewhere, finds the record. Errors are caught
 * and logged, so they do not fail the operation that changed the balance.
 */
export async function alertIfLow(
  tenantId: string,
  settings: AlertSettings | undefined,
  checked: CheckedBalance,
): Promise<void> {
  const threshold = checked.kind === 'pool' ? settings?.poolThreshold : settings?.userThreshold;
  if (threshold === null || threshold === undefined || checked.balance >= threshold) return;

  const month = monthOf(new Date());
  const subject = checked.kind === 'pool' ? 'POOL' : `USER#${checked.userId}`;
  const claimKey = `${tenantId}|${month}|${subject}|${threshold}`;
  if (claimed.has(claimKey)) return;
  try {
    const isFirst = await claimLowBalanceAlert({
      tenantId,
      month,
      subject,
      threshold,
      balance: checked.balance,
    });
    claimed.add(claimKey);
    if (!isFirst) return;
    logger.info('Balance below its alert threshold; emailing the admins', {
      alert: checked.kind,
      threshold,
    });
    await emailTenantAdmins(tenantId, lowBalanceEmail(checked, threshold));
  } catch (error) {
    logger.error('Low-balance alert failed', { alert: checked.kind, error: error as Error });
  }
}

function lowBalanceEmail(checked: CheckedBalance, threshold: number) {
  if (checked.kind === 'pool') {
    return {
      subject: 'Your Creditgate credit pool is running low',
      body:
        `Your organization's credit pool holds ${formatCount(checked.balance)} credits, below your ` +
        `alert threshold of ${formatCount(threshold)}. Users keep the credits already allocated to ` +
        'them; to allocate more, ask your Creditgate operator for a grant. You get this email ' +
        'once a month for this threshold.',
    };
  }
  return {
    subject: `Credits of ${checked.email} are running low`,
    body:
      `${checked.email} has ${formatCount(checked.balance)} credits left, below your alert ` +
      `threshold of ${formatCount(threshold)} per user. Allocate more credits under Users to keep ` +
      'their AI calls working. You get this email once a month for this user and threshold.',
  };
}
