import { SimpleGrid, Stack } from '@chakra-ui/react';
import { BarChart, BarList } from '../../components/ui/bar-chart';
import { EmptyState } from '../../components/ui/empty-state';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { StatCard } from '../../components/ui/stat-card';
import { useApi } from '../../lib/api-context';
import { formatDay } from '../../lib/dates';
import { formatCreditCount, formatCredits } from '../../lib/format';
import { useLoad } from '../../lib/use-request';

/** Days the charts cover, today included. */
const RANGE_DAYS = 30;

/**
 * Renders the SuperAdmin's home: tenant counts, credits granted and spent, AI calls per day
 * and the tenants that spend most, from `GET /v1/platform/overview`.
 */
export function PlatformOverviewPage() {
  const api = useApi();
  const overview = useLoad(() => api.getPlatformOverview(RANGE_DAYS), `overview|${RANGE_DAYS}`);

  const totals = overview.data;
  const show = (value: number | undefined) => (value === undefined ? '—' : formatCredits(value));
  const calls = totals?.callsPerDay.reduce((sum, day) => sum + day.calls, 0);

  return (
    <Stack gap="6">
      <PageHeader title="Overview" description="Tenants, credits and AI calls on the platform." />
      <ErrorAlert error={overview.error} />
      <SimpleGrid columns={{ base: 1, sm: 2, lg: 4 }} gap="4">
        <StatCard
          label="Tenants"
          value={totals ? String(totals.tenants.total) : '—'}
          helpText={
            totals
              ? `${totals.tenants.active} active, ${totals.tenants.suspended} suspended`
              : undefined
          }
        />
        <StatCard
          label="Credits granted"
          value={show(totals?.credits.granted)}
          helpText="All time"
        />
        <StatCard label="Credits spent" value={show(totals?.credits.spent)} helpText="All time" />
        <StatCard label="AI calls" value={show(calls)} helpText={`Last ${RANGE_DAYS} days`} />
      </SimpleGrid>
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
        <SectionCard
          title="Spend by tenant"
          description={`The 10 tenants that spent most, credits, last ${RANGE_DAYS} days.`}
        >
          {!totals ? (
            overview.isLoading && <LoadingRows label="Loading spend by tenant" />
          ) : totals.topTenants.length === 0 ? (
            <EmptyState
              title="No spend yet"
              description="Tenants appear here once their users call AI models."
            />
          ) : (
            <BarList
              title="Spend by tenant"
              points={totals.topTenants.map((entry) => ({
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
