import { Button, Grid, GridItem, Spinner, Stack } from '@chakra-ui/react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { toaster } from '../../components/ui/toaster';
import type { CreatedTenant, Plan } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { loadAllPages, usePagedList } from '../../lib/use-paged-list';
import { useLoad } from '../../lib/use-request';
import { CreatePlanDialog } from '../plans/create-plan-dialog';
import { PlanTable } from '../plans/plan-table';
import { CreateTenantForm } from './create-tenant-form';
import { TenantTable } from './tenant-table';

/** Renders the SuperAdmin's home: tenants, a form to add one, and the plans they are sold on. */
export function TenantsPage() {
  const api = useApi();
  const plans = useLoad(() => loadAllPages((cursor) => api.listPlans(cursor)), 'plans');
  const tenants = usePagedList((cursor) => api.listTenants(cursor), 'tenants');
  const planList = plans.data ?? [];

  const handlePlanCreated = (plan: Plan) => {
    plans.setData((current) => [plan, ...(current ?? [])]);
  };
  const handleTenantCreated = (tenant: CreatedTenant) => {
    tenants.updateItems((items) => [tenant, ...items]);
    toaster.create({
      type: 'success',
      title: `Tenant ${tenant.name} created`,
      description: `An invitation was sent to ${tenant.admin.email}.`,
    });
  };
  const handleGranted = (tenantId: string, poolBalance: number) => {
    tenants.updateItems((items) =>
      items.map((tenant) => (tenant.tenantId === tenantId ? { ...tenant, poolBalance } : tenant)),
    );
  };

  return (
    <Stack gap="6">
      <PageHeader
        title="Tenants"
        description="Create customer tenants, invite their admins and grant credits to their pools."
      />
      <Grid templateColumns={{ base: '1fr', lg: '2fr 1fr' }} gap="6" alignItems="start">
        <GridItem>
          <SectionCard title="All tenants" description="Newest first.">
            <Stack gap="4">
              <ErrorAlert error={tenants.error} />
              {tenants.isLoading && tenants.items.length === 0 ? (
                <Spinner />
              ) : (
                <TenantTable tenants={tenants.items} plans={planList} onGranted={handleGranted} />
              )}
              {tenants.hasMore && (
                <Button
                  variant="outline"
                  size="sm"
                  alignSelf="center"
                  loading={tenants.isLoading}
                  onClick={tenants.loadMore}
                >
                  Load more
                </Button>
              )}
            </Stack>
          </SectionCard>
        </GridItem>
        <GridItem>
          <SectionCard title="New tenant">
            <CreateTenantForm plans={planList} onCreated={handleTenantCreated} />
          </SectionCard>
        </GridItem>
      </Grid>
      <SectionCard
        title="Plans"
        description="Limits and models that each tenant's plan allows."
        actions={<CreatePlanDialog onCreated={handlePlanCreated} />}
      >
        <ErrorAlert error={plans.error} />
        {plans.isLoading && !plans.data ? <Spinner /> : <PlanTable plans={planList} />}
      </SectionCard>
    </Stack>
  );
}
