import { useLocation } from 'react-router';
import { useApi } from '../../lib/api-context';
import { useLoad } from '../../lib/use-request';
import { useMe } from '../auth/use-auth';

/** Maximum pending requests the count reads. More show as `100+`. */
const MAX_COUNTED = 100;

/**
 * Returns how many credit requests wait for a TenantAdmin's decision, such as `3` or `100+`,
 * or null when none wait, while it loads, or for other roles. It is read again on each
 * page change, so a decision made on the Requests page shows on the next page.
 */
export function usePendingRequestCount(): string | null {
  const me = useMe();
  const api = useApi();
  const { pathname } = useLocation();
  const isTenantAdmin = me.role === 'TenantAdmin';
  const pending = useLoad(
    async () =>
      isTenantAdmin
        ? await api.listCreditRequests(me.tenantId, { status: 'PENDING', limit: MAX_COUNTED })
        : null,
    `pending-requests|${me.tenantId}|${pathname}`,
  );

  const page = pending.data;
  if (!page || page.items.length === 0) return null;
  return page.nextCursor ? `${MAX_COUNTED}+` : String(page.items.length);
}
