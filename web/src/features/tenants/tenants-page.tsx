import { Grid, GridItem, Input, Stack } from '@chakra-ui/react';
import { MAX_TENANT_SEARCH_LENGTH } from '@creditgate/shared';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { LoadMoreButton } from '../../components/ui/load-more-button';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { toaster } from '../../components/ui/toaster';
import type { CreatedTenant, Tenant } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { loadAllPages, usePagedList } from '../../lib/use-paged-list';
import { useLoad } from '../../lib/use-request';
import { CreateTenantForm } from './create-tenant-form';
import { TenantTable } from './tenant-table';

/** Milliseconds the search box waits after the last keystroke before it searches. */
const SEARCH_DELAY_MS = 300;

/** Returns `value` once it has stopped changing for `delayMs`. */
function useDebouncedValue(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * Renders the SuperAdmin's tenants: search, a form to add one with its first admin, and per
 * tenant grants, plan and limit changes, suspension and reactivation.
 */
export function TenantsPage() {
  const api = useApi();
  const plans = useLoad(() => loadAllPages((cursor) => api.listPlans(cursor)), 'plans');
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), SEARCH_DELAY_MS);
  // The server searches every tenant; the list reloads when the search term settles.
  const tenants = usePagedList(
    (cursor) => api.listTenants(cursor, query || undefined),
    `tenants:${query}`,
  );
  const planList = plans.data ?? [];

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
  const handleSaved = (saved: Tenant) => {
    tenants.updateItems((items) =>
      items.map((tenant) =>
        tenant.tenantId === saved.tenantId ? { ...tenant, ...saved } : tenant,
      ),
    );
  };

  return (
    <Stack gap="6">
      <PageHeader
        title="Tenants"
        description="Create customer tenants, invite their admins and grant credits to their pools."
      />
      {/* The table's four actions per row need the full width below 1,536 px (Chakra's 2xl). */}
      <Grid
        templateColumns={{ base: 'minmax(0, 1fr)', '2xl': 'minmax(0, 2fr) minmax(0, 1fr)' }}
        gap="6"
        alignItems="start"
      >
        <GridItem minWidth="0">
          <SectionCard title="All tenants" description="Newest first.">
            <Stack gap="4">
              <FormField label="Search tenants">
                <Input
                  type="search"
                  name="tenant-search"
                  placeholder="Name or tenant id"
                  maxLength={MAX_TENANT_SEARCH_LENGTH}
                  value={search}
                  onChange={(event) => setSearch(event.target.value)}
                />
              </FormField>
              <ErrorAlert error={tenants.error} />
              <ErrorAlert error={plans.error} />
              {tenants.isLoading && tenants.items.length === 0 ? (
                <LoadingRows label="Loading tenants" />
              ) : (
                <TenantTable
                  tenants={tenants.items}
                  plans={planList}
                  isFiltered={query !== ''}
                  onGranted={handleGranted}
                  onSaved={handleSaved}
                />
              )}
              <LoadMoreButton list={tenants} />
            </Stack>
          </SectionCard>
        </GridItem>
        <GridItem minWidth="0">
          <SectionCard title="New tenant">
            <CreateTenantForm plans={planList} onCreated={handleTenantCreated} />
          </SectionCard>
        </GridItem>
      </Grid>
    </Stack>
  );
}
