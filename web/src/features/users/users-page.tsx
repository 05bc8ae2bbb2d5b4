import { SimpleGrid, Spinner, Stack } from '@chakra-ui/react';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadMoreButton } from '../../components/ui/load-more-button';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { StatCard } from '../../components/ui/stat-card';
import { toaster } from '../../components/ui/toaster';
import type { BatchInviteResult, TenantUser } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import type { ApiError } from '../../lib/api-error';
import { formatCredits } from '../../lib/format';
import { usePagedList } from '../../lib/use-paged-list';
import { useLoad } from '../../lib/use-request';
import { useAuth, useMe } from '../auth/use-auth';
import { BulkInviteDialog } from './bulk-invite-dialog';
import { InviteUserForm } from './invite-user-form';
import { UserTable } from './user-table';

/**
 * Renders the TenantAdmin's home: the pool and seats, the tenant's users with their
 * lifecycle actions, single and bulk invitations, and allocations.
 */
export function UsersPage() {
  const api = useApi();
  const me = useMe();
  const { signOut, refreshMe } = useAuth();
  const { tenantId } = me;
  const tenant = useLoad(() => api.getTenant(tenantId), tenantId);
  const credits = useLoad(() => api.getTenantCredits(tenantId), tenantId);
  const users = usePagedList((cursor) => api.listUsers(tenantId, cursor), tenantId);
  const [actionError, setActionError] = useState<{ email: string; error: ApiError } | null>(null);

  const handleInvited = (user: TenantUser) => {
    users.updateItems((items) => [...items, user]);
    tenant.reload();
    toaster.create({ type: 'success', title: `Invitation sent to ${user.email}` });
  };
  const handleBulkInvited = (results: BatchInviteResult[]) => {
    if (!results.some((row) => row.result === 'invited')) return;
    users.reload();
    tenant.reload();
  };
  const handleMoved = (userId: string, balances: { userBalance: number }) => {
    users.updateItems((items) =>
      items.map((user) =>
        user.userId === userId ? { ...user, balance: balances.userBalance } : user,
      ),
    );
    // Allocated and pool totals both change, so read them again instead of recomputing them.
    credits.reload();
  };
  const handleUpdated = (updated: TenantUser) => {
    users.updateItems((items) =>
      items.map((user) => (user.userId === updated.userId ? updated : user)),
    );
    if (updated.userId !== me.userId) return;
    // The API applies the change to the admin's own next request, so the screens follow now.
    if (updated.status === 'DISABLED') signOut('Your account has been disabled.');
    else if (updated.role !== me.role) void refreshMe().catch(() => undefined);
  };
  const handleDeleted = (deleted: TenantUser) => {
    users.updateItems((items) => items.filter((user) => user.userId !== deleted.userId));
    credits.reload();
    tenant.reload();
    if (deleted.userId === me.userId) signOut('Your account has been deleted.');
  };
  const handleActionError = (error: ApiError | null, user: TenantUser) => {
    setActionError(error ? { email: user.email, error } : null);
  };

  const totals = credits.data;
  const show = (value: number | undefined) => (value === undefined ? '—' : formatCredits(value));
  const seats = tenant.data;
  return (
    <Stack gap="6">
      <PageHeader
        title="Users"
        description="Invite people to your tenant, manage their access and allocate credits from the pool."
      />
      <ErrorAlert error={credits.error} />
      <ErrorAlert error={tenant.error} />
      <SimpleGrid columns={{ base: 2, md: 3, xl: 6 }} gap="4">
        <StatCard
          label="Pool balance"
          value={show(totals?.poolBalance)}
          helpText="Ready to allocate"
        />
        <StatCard label="Allocated" value={show(totals?.allocated)} helpText="Users' balances" />
        <StatCard label="Held" value={show(totals?.held)} helpText="By running AI calls" />
        <StatCard label="Spent" value={show(totals?.spent)} helpText="On AI calls" />
        <StatCard
          label="Credit limit"
          value={show(totals?.creditLimit)}
          helpText="Most unspent credits"
        />
        <StatCard
          label="Seats"
          value={seats ? `${seats.seatsUsed} / ${seats.seatLimit}` : '—'}
          helpText={
            seats && seats.seatsUsed >= seats.seatLimit ? 'All seats taken' : 'Used of the plan'
          }
        />
      </SimpleGrid>
      <SectionCard
        title="Members"
        description="Every member takes a seat until deleted, disabled members included."
        actions={<BulkInviteDialog tenantId={tenantId} onInvited={handleBulkInvited} />}
      >
        <Stack gap="4">
          <ErrorAlert error={users.error} />
          <ErrorAlert
            error={actionError?.error ?? null}
            title={actionError ? `The change to ${actionError.email} failed` : undefined}
          />
          {users.isLoading && users.items.length === 0 ? (
            <Spinner />
          ) : (
            <UserTable
              tenantId={tenantId}
              users={users.items}
              currentUserId={me.userId}
              poolBalance={totals?.poolBalance}
              onMoved={handleMoved}
              onUpdated={handleUpdated}
              onDeleted={handleDeleted}
              onActionError={handleActionError}
            />
          )}
          <LoadMoreButton list={users} />
        </Stack>
      </SectionCard>
      <SectionCard
        title="Invite a user"
        description="They get an email with a temporary password and choose their own at first sign-in."
      >
        <InviteUserForm tenantId={tenantId} onInvited={handleInvited} />
      </SectionCard>
    </Stack>
  );
}
