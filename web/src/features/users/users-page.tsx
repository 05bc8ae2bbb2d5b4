import { Button, SimpleGrid, Spinner, Stack } from '@chakra-ui/react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { StatCard } from '../../components/ui/stat-card';
import { toaster } from '../../components/ui/toaster';
import type { TenantUser } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatCredits } from '../../lib/format';
import { usePagedList } from '../../lib/use-paged-list';
import { useLoad } from '../../lib/use-request';
import { useMe } from '../auth/use-auth';
import { InviteUserForm } from './invite-user-form';
import { UserTable } from './user-table';

/** Renders the TenantAdmin's home: the pool, the tenant's users, invitations and allocations. */
export function UsersPage() {
  const api = useApi();
  const { tenantId } = useMe();
  const credits = useLoad(() => api.getTenantCredits(tenantId), tenantId);
  const users = usePagedList((cursor) => api.listUsers(tenantId, cursor), tenantId);

  const handleInvited = (user: TenantUser) => {
    users.updateItems((items) => [...items, user]);
    toaster.create({ type: 'success', title: `Invitation sent to ${user.email}` });
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

  const totals = credits.data;
  const show = (value: number | undefined) => (value === undefined ? '—' : formatCredits(value));
  return (
    <Stack gap="6">
      <PageHeader
        title="Users"
        description="Invite people to your tenant and allocate credits from the pool."
      />
      <ErrorAlert error={credits.error} />
      <SimpleGrid columns={{ base: 2, md: 5 }} gap="4">
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
      </SimpleGrid>
      <SectionCard title="Members">
        <Stack gap="4">
          <ErrorAlert error={users.error} />
          {users.isLoading && users.items.length === 0 ? (
            <Spinner />
          ) : (
            <UserTable
              tenantId={tenantId}
              users={users.items}
              poolBalance={totals?.poolBalance}
              onMoved={handleMoved}
            />
          )}
          {users.hasMore && (
            <Button
              variant="outline"
              size="sm"
              alignSelf="center"
              loading={users.isLoading}
              onClick={users.loadMore}
            >
              Load more
            </Button>
          )}
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
