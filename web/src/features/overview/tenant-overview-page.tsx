import { Link, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { Link as RouterLink } from 'react-router';
import { BarChart } from '../../components/ui/bar-chart';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { StatCard } from '../../components/ui/stat-card';
import { useApi } from '../../lib/api-context';
import {
  addDays,
  firstDayOfMonth,
  formatDay,
  formatRunOutDay,
  listDays,
  todayUtc,
} from '../../lib/dates';
import { formatCreditCount, formatCredits, formatRate } from '../../lib/format';
import { useLoad } from '../../lib/use-request';
import { useMe } from '../auth/use-auth';

/** Days the spend chart covers, today included. */
const CHART_DAYS = 14;

/**
 * Renders the TenantAdmin's home: pool and limit, allocated credits, spend this month, the
 * burn rate with the day the credits run out at that rate, seats, and the last two weeks'
 * spend.
 */
export function TenantOverviewPage() {
  const api = useApi();
  const { tenantId } = useMe();
  const today = todayUtc();
  const monthStart = firstDayOfMonth(today);
  const chartStart = addDays(today, -(CHART_DAYS - 1));
  const from = monthStart.localeCompare(chartStart) < 0 ? monthStart : chartStart;
  const tenant = useLoad(() => api.getTenant(tenantId), `tenant|${tenantId}`);
  const credits = useLoad(() => api.getTenantCredits(tenantId), `credits|${tenantId}`);
  const usage = useLoad(
    () => api.getTenantUsage(tenantId, { from, to: today }),
    `usage|${tenantId}|${from}`,
  );

  const show = (value: number | undefined) => (value === undefined ? '—' : formatCredits(value));
  const monthSpend = usage.data?.days
    .filter((day) => day.day >= monthStart)
    .reduce((sum, day) => sum + day.cost, 0);
  const costByDay = new Map(usage.data?.days.map((day) => [day.day, day.cost]));
  const burn = usage.data?.burnRate;

  return (
    <Stack gap="6">
      <PageHeader
        title="Overview"
        description={tenant.data ? `${tenant.data.name}: credits, spend and seats.` : undefined}
      />
      <ErrorAlert error={credits.error ?? tenant.error ?? usage.error} />
      <SimpleGrid columns={{ base: 1, sm: 2, lg: 3 }} gap="4">
        <StatCard
          label="Pool balance"
          value={show(credits.data?.poolBalance)}
          helpText={
            credits.data ? `Credit limit ${formatCredits(credits.data.creditLimit)}` : undefined
          }
        />
        <StatCard
          label="Allocated"
          value={show(credits.data?.allocated)}
          helpText="Users' balances"
        />
        <StatCard label="Spent this month" value={show(monthSpend)} helpText="UTC month" />
        <StatCard
          label="Burn rate"
          value={burn ? `${formatRate(burn.creditsPerDay)} / day` : '—'}
          helpText={burn ? `Average of the last ${burn.days} days` : undefined}
        />
        <StatCard
          label="Projected run-out"
          value={formatRunOut(burn?.runsOutOn)}
          helpText="Pool and balances at the burn rate"
        />
        <StatCard
          label="Seats"
          value={tenant.data ? `${tenant.data.seatsUsed} / ${tenant.data.seatLimit}` : '—'}
          helpText="Used of the plan"
        />
      </SimpleGrid>
      <SectionCard
        title="Spend per day"
        description={`Credits, last ${CHART_DAYS} days, UTC.`}
        actions={
          <Link asChild textStyle="sm">
            <RouterLink to="/usage">Usage details</RouterLink>
          </Link>
        }
      >
        {!usage.data ? (
          usage.isLoading && <LoadingRows label="Loading spend per day" />
        ) : (
          <Stack gap="2">
            <BarChart
              title="Credits spent per day"
              points={listDays(chartStart, today).map((day) => ({
                label: formatDay(day),
                value: costByDay.get(day) ?? 0,
              }))}
              formatValue={formatCreditCount}
            />
            {usage.data.totals.calls === 0 && (
              <Text color="fg.muted" textStyle="sm">
                No AI calls yet this period.
              </Text>
            )}
          </Stack>
        )}
      </SectionCard>
    </Stack>
  );
}

/** Formats the run-out day: `—` while loading, and a note when nothing is being spent. */
function formatRunOut(day: string | null | undefined): string {
  if (day === undefined) return '—';
  if (day === null) return 'Not at this rate';
  return formatRunOutDay(day);
}
