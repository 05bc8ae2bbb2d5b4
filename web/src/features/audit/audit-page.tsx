import { Stack } from '@chakra-ui/react';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import type { AuditQuery } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { loadAllPages } from '../../lib/use-paged-list';
import { useLoad } from '../../lib/use-request';
import { useMe } from '../auth/use-auth';
import { platformAuditActions, tenantAuditActions } from './audit-actions';
import { AuditLog } from './audit-log';

/**
 * Renders the audit log of the caller's scope: every tenant and the platform for a
 * SuperAdmin, the own tenant for a TenantAdmin.
 */
export function AuditPage() {
  const api = useApi();
  const { role, tenantId } = useMe();
  const isPlatform = role === 'SuperAdmin';
  // Most user entries carry only the user's id, so the tenant's log looks up the emails. A
  // failed lookup leaves the ids on screen, which is why its error is not shown.
  const users = useLoad(
    async () => (isPlatform ? [] : loadAllPages((cursor) => api.listUsers(tenantId, cursor))),
    `${role}|${tenantId}`,
  );
  const userEmails = new Map((users.data ?? []).map((user) => [user.userId, user.email]));
  // The platform log looks up tenant names the same way. Tenants past the first 500 (10
  // pages of 50) keep their ids.
  const tenants = useLoad(
    async () => (isPlatform ? loadAllPages((cursor) => api.listTenants(cursor)) : []),
    `tenants|${role}`,
  );
  const tenantNames = new Map((tenants.data ?? []).map((tenant) => [tenant.tenantId, tenant.name]));

  return (
    <Stack gap="6">
      <PageHeader
        title="Audit log"
        description={
          isPlatform
            ? 'Administrative actions in every tenant and on the platform, newest first.'
            : 'Administrative actions in your tenant, newest first.'
        }
      />
      <SectionCard title="Entries">
        <AuditLog
          loadPage={(query: AuditQuery) =>
            isPlatform ? api.listAudit(query) : api.listTenantAudit(tenantId, query)
          }
          actions={isPlatform ? platformAuditActions : tenantAuditActions}
          isTenantShown={isPlatform}
          userEmails={userEmails}
          tenantNames={tenantNames}
        />
      </SectionCard>
    </Stack>
  );
}
