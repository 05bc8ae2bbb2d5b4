import { Box, Button, NativeSelect, SimpleGrid, Stack, Table } from '@chakra-ui/react';
import { useState } from 'react';
import { BarChart, BarList } from '../../components/ui/bar-chart';
import { EmptyState } from '../../components/ui/empty-state';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { StatCard } from '../../components/ui/stat-card';
import { useApi } from '../../lib/api-context';
import { addDays, formatDay, formatRunOutDay, listDays, todayUtc } from '../../lib/dates';
import { formatCreditCount, formatCredits, formatRate } from '../../lib/format';
import { loadAllPages } from '../../lib/use-paged-list';
import { useLoad } from '../../lib/use-request';
import { useMe } from '../auth/use-auth';
import { downloadTextFile, usageByUserCsv, usageCsvFileName } from './usage-csv';

/** Ranges the page offers, in days. The API allows up to 92. */
const RANGES = [7, 30, 90] as const;

/**
 * Renders a tenant's usage over 7, 30 or 90 days: spend per day, per user and per model,
 * and each user's burn rate with the day their balance runs out at that rate. The per-user
 * figures download as CSV.
 */
export function TenantUsagePage() {
  const api = useApi();
  const { tenantId } = useMe();
  const [rangeDays, setRangeDays] = useState<number>(30);
  const to = todayUtc();
  const from = addDays(to, -(rangeDays - 1));
  const usage = useLoad(
    () => api.getTenantUsage(tenantId, { from, to }),
    `usage|${tenantId}|${from}|${to}`,
  );
  // Usage names users by id, so the page looks up their emails. A failed lookup keeps ids.
  const users = useLoad(
    () => loadAllPages((cursor) => api.listUsers(tenantId, cursor)),
    `users|${tenantId}`,
  );
  const emailOf = (userId: string) =>
    users.data?.find((user) => user.userId === userId)?.email ?? userId;

  const data = usage.data;
  const costByDay = new Map(data?.days.map((day) => [day.day, day.cost]));
  return (
    <Stack gap="6">
      <PageHeader title="Usage" description="What your tenant spent on AI calls, in credits." />
      <Box width={{ base: 'full', sm: '56' }}>
        <FormField label="Period">
          <NativeSelect.Root size="sm">
            <NativeSelect.Field
              name="period"
              value={String(rangeDays)}
              onChange={(event) => setRangeDays(Number(event.currentTarget.value))}
            >
              {RANGES.map((days) => (
                <option key={days} value={days}>
                  Last {days} days
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </FormField>
      </Box>
      <ErrorAlert error={usage.error} />
      {!data ? (
        usage.isLoading && <LoadingRows label="Loading usage" rows={6} />
      ) : (
        <>
          <SimpleGrid columns={{ base: 1, sm: 3 }} gap="4">
            <StatCard label="Credits spent" value={formatCredits(data.totals.cost)} />
            <StatCard label="AI calls" value={formatCredits(data.totals.calls)} />
            <StatCard
              label="Tokens"
              value={formatCredits(data.totals.promptTokens + data.totals.completionTokens)}
              helpText={`${formatCredits(data.totals.promptTokens)} in, ${formatCredits(data.totals.completionTokens)} out`}
            />
          </SimpleGrid>
          <SectionCard title="Spend per day" description="Credits, UTC days.">
            <BarChart
              title="Credits spent per day"
              points={listDays(from, to).map((day) => ({
                label: formatDay(day),
                value: costByDay.get(day) ?? 0,
              }))}
              formatValue={formatCreditCount}
            />
          </SectionCard>
          <SimpleGrid columns={{ base: 1, lg: 2 }} gap="6">
            <SectionCard
              title="By user"
              actions={
                <Button
                  size="xs"
                  variant="outline"
                  aria-label="Download usage by user as CSV"
                  disabled={data.users.length === 0}
                  onClick={() =>
                    downloadTextFile(usageCsvFileName(data), usageByUserCsv(data, emailOf))
                  }
                >
                  Download CSV
                </Button>
              }
            >
              {data.users.length === 0 ? (
                <EmptyState title="No calls in this period" />
              ) : (
                <BarList
                  title="Credits spent by user"
                  points={data.users.map((user) => ({
                    label: emailOf(user.userId),
                    value: user.cost,
                  }))}
                  formatValue={formatCreditCount}
                />
              )}
            </SectionCard>
            <SectionCard title="By model">
              {data.models.length === 0 ? (
                <EmptyState title="No calls in this period" />
              ) : (
                <BarList
                  title="Credits spent by model"
                  points={data.models.map((model) => ({ label: model.model, value: model.cost }))}
                  formatValue={formatCreditCount}
                />
              )}
            </SectionCard>
          </SimpleGrid>
          <SectionCard
            title="Burn rate by user"
            description={`Average credits per day over the last ${data.burnRate.days} days.`}
          >
            {data.burnRate.users.length === 0 ? (
              <EmptyState title="No users yet" />
            ) : (
              <Table.ScrollArea tabIndex={0} role="region" aria-label="Burn rate table">
                <Table.Root size="sm" aria-label="Burn rate by user">
                  <Table.Header>
                    <Table.Row>
                      <Table.ColumnHeader>User</Table.ColumnHeader>
                      <Table.ColumnHeader textAlign="end">Balance</Table.ColumnHeader>
                      <Table.ColumnHeader textAlign="end">Per day</Table.ColumnHeader>
                      <Table.ColumnHeader>Runs out</Table.ColumnHeader>
                    </Table.Row>
                  </Table.Header>
                  <Table.Body>
                    {data.burnRate.users.map((user) => (
                      <Table.Row key={user.userId}>
                        <Table.Cell>{emailOf(user.userId)}</Table.Cell>
                        <Table.Cell textAlign="end">{formatCredits(user.balance)}</Table.Cell>
                        <Table.Cell textAlign="end">{formatRate(user.creditsPerDay)}</Table.Cell>
                        <Table.Cell>
                          {user.runsOutOn ? formatRunOutDay(user.runsOutOn) : '—'}
                        </Table.Cell>
                      </Table.Row>
                    ))}
                  </Table.Body>
                </Table.Root>
              </Table.ScrollArea>
            )}
          </SectionCard>
        </>
      )}
    </Stack>
  );
}
