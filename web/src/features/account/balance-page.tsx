import { Button, Link, SimpleGrid, Stack } from '@chakra-ui/react';
import { useEffect } from 'react';
import { Link as RouterLink } from 'react-router';
import { EmptyState } from '../../components/ui/empty-state';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { StatCard } from '../../components/ui/stat-card';
import { useApi } from '../../lib/api-context';
import { formatCredits } from '../../lib/format';
import { useLoad } from '../../lib/use-request';
import { useAuth, useMe } from '../auth/use-auth';
import { LedgerTable } from './ledger-table';

/** Rows the page lists. */
const RECENT_ROWS = 10;
/**
 * Entries the page reads: an AI call writes two entries (its hold, then its cost) that show
 * as one row, so twice the rows and a spare for a call still running.
 */
const RECENT_ENTRIES = 2 * RECENT_ROWS + 1;

/** Renders a member's balance, the credits held by running calls, spend and recent ledger. */
export function BalancePage() {
  const api = useApi();
  const me = useMe();
  const { refreshMe } = useAuth();
  const ledger = useLoad(() => api.listMyLedger({ limit: RECENT_ENTRIES }), 'my-ledger');

  // The balance in memory may predate calls from other tabs or tools, so read it again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once when the page opens.
  useEffect(() => {
    refreshMe().catch(() => undefined);
  }, []);

  return (
    <Stack gap="6">
      <PageHeader title="Balance" description="Your credits and their latest movements." />
      <SimpleGrid columns={{ base: 1, sm: 3 }} gap="4">
        <StatCard label="Balance" value={formatCredits(me.balance)} helpText="Credits available" />
        <StatCard label="Held" value={formatCredits(me.held)} helpText="By running calls" />
        <StatCard label="Spent" value={formatCredits(me.spent)} helpText="All time" />
      </SimpleGrid>
      <SectionCard
        title="Recent activity"
        description="Your latest credit movements and AI calls."
        actions={
          <Button asChild size="sm" variant="outline">
            <RouterLink to="/credit-requests">Request credits</RouterLink>
          </Button>
        }
      >
        <Stack gap="4">
          <ErrorAlert error={ledger.error} />
          {ledger.isLoading && !ledger.data ? (
            <LoadingRows label="Loading your ledger" />
          ) : ledger.data?.items.length === 0 ? (
            <EmptyState
              title="No activity yet"
              description="Credits your admin allocates and your AI calls show here."
            />
          ) : (
            ledger.data && (
              <LedgerTable
                entries={ledger.data.items}
                title="Recent activity"
                maxRows={RECENT_ROWS}
              />
            )
          )}
          <Link asChild textStyle="sm" alignSelf="start">
            <RouterLink to="/usage">All AI calls</RouterLink>
          </Link>
        </Stack>
      </SectionCard>
    </Stack>
  );
}
