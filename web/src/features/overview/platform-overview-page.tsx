import { SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { BarChart, BarList } from '../../components/ui/bar-chart';
import { EmptyState } from '../../components/ui/empty-state';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { StatCard } from '../../components/ui/stat-card';
import { useApi } from '../../lib/api-context';
import { addDays, formatDay, todayUtc } from '../../lib/dates';
import { formatCreditCount, formatCredits } from '../../lib/format';
import { mapLimited } from '../../lib/map-limited';
import { loadAllPages } from '../../lib/use-paged-list';
import { useLoad } from '../../lib/use-request';
import { sumPlatformTotals } from './platform-totals';

/** Days the charts cover, today included. */
const RANGE_DAYS = 30;
/** Tenants whose figures are read at once. */
const CONCURRENCY = 4;
/** Tenants the overview reads figures for; the rest are counted but not summed. */
const MAX_SUMMED_TENANTS = 100;

/**
 * Renders the SuperAdmin's home: tenant counts, credits granted and spent, AI calls per day
 * and the tenants that spend most, all summed in the browser from each tenant's credits and
 * usage.
 */
export function PlatformOverviewPage() {
  const api = useApi();
  const to = todayUtc();
  const from = addDays(to, -(RANGE_DAYS - 1));
  const overview = useLoad(async () => {
    const tenants = await loadAllPages((cursor) => api.listTenants(cursor));
    // NOTE: the API has no platform-wide totals route yet, so the overview reads two routes
    // per tenant and stops after MAX_SUMMED_TENANTS tenants.
    const summed = tenants.slice(0, MAX_SUMMED_TENANTS);
    const figures = await mapLimited(summed, CONCURRENCY, async (tenant) => {
      const [credits, usage] = await Promise.all([
        api.getTenantCredits(tenant.tenantId),
        api.getTenantUsage(tenant.tenantId, { from, to }),
      ]);
      return { tenant, credits, usage };
    });
    return { totals: sumPlatformTotals(figures, { from, to }), tenantTotal: tenants.length };
  }, `overview|${from}`);

  const data = overview.data;
  const totals = data?.totals;
  const show = (value: number | undefined) => (value === undefined ? '—' : formatCredits(value));
  const calls = totals?.callsPerDay.reduce((sum, day) => sum + day.calls, 0);

  return (
    <Stack gap="6">
      <PageHeader title="Overview" description="Tenants, credits and AI calls on the platform." />
      <ErrorAlert error={overview.error} />
      <SimpleGrid columns={{ base: 1, sm: 2, lg: 4 }} gap="4">
        <StatCard
          label="Tenants"
          value={data ? String(data.tenantTotal) : '—'}
          helpText={
            totals ? `${totals.activeCount} active, ${totals.suspendedCount} suspended` : undefined
          }
        />
        <StatCard label="Credits granted" value={show(totals?.granted)} helpText="All time" />
        <StatCard label="Credits spent" value={show(totals?.spent)} helpText="All time" />
        <StatCard label="AI calls" value={show(calls)} helpText={`Last ${RANGE_DAYS} days`} />
      </SimpleGrid>
      {data && data.tenantTotal > MAX_SUMMED_TENANTS && (
        <Text color="fg.muted" textStyle="sm">
          The figures sum the {MAX_SUMMED_TENANTS} newest of {data.tenantTotal} tenants.
        </Text>
      )}
      <SimpleGrid columns={{ base: 1, lg: 2 }} gap="6">
        <SectionCard title="AI calls per day" description={`Last ${RANGE_DAYS} days, UTC.`}>
          {!totals ? (
            overview.isLoading && <LoadingRows label="Loading calls per day" />
          ) : (
            <BarChart
              title="AI calls per day"
              points={totals.callsPerDay.map((day) => ({
                label: formatDay(day.day),
                value: day.calls,
              }))}
              formatValue={(value) => `${formatCredits(value)} ${value === 1 ? 'call' : 'calls'}`}
            />
          )}
        </SectionCard>
        <SectionCard title="Spend by tenant" description={`Credits, last ${RANGE_DAYS} days.`}>
          {!totals ? (
            overview.isLoading && <LoadingRows label="Loading spend by tenant" />
          ) : totals.spendByTenant.length === 0 ? (
            <EmptyState
              title="No spend yet"
              description="Tenants appear here once their users call AI models."
            />
          ) : (
            <BarList
              title="Spend by tenant"
              points={totals.spendByTenant.map((entry) => ({
                label: entry.name,
                value: entry.cost,
              }))}
              formatValue={formatCreditCount}
            />
          )}
        </SectionCard>
      </SimpleGrid>
    </Stack>
  );
}
