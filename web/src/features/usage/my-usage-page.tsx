import { Stack } from '@chakra-ui/react';
import { EmptyState } from '../../components/ui/empty-state';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadMoreButton } from '../../components/ui/load-more-button';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { useApi } from '../../lib/api-context';
import { usePagedList } from '../../lib/use-paged-list';
import { LedgerTable } from '../account/ledger-table';

/** Entries per request. The API allows up to 100. */
const PAGE_SIZE = 100;

/**
 * Renders a member's AI calls, newest first: each settled call with its model, tokens and
 * cost. Holds and releases are left out, because a settle entry already carries the cost.
 */
export function MyUsagePage() {
  const api = useApi();
  const ledger = usePagedList(async (cursor) => {
    const page = await api.listMyLedger({ cursor, limit: PAGE_SIZE });
    return { ...page, items: page.items.filter((entry) => entry.type === 'SETTLE') };
  }, 'my-usage');

  return (
    <Stack gap="6">
      <PageHeader title="Usage" description="Your AI calls and what each one cost." />
      <SectionCard title="AI calls" description="Newest first.">
        <Stack gap="4">
          <ErrorAlert error={ledger.error} />
          {ledger.isLoading && ledger.items.length === 0 ? (
            <LoadingRows label="Loading your AI calls" />
          ) : ledger.items.length === 0 ? (
            !ledger.error && (
              <EmptyState
                title={ledger.hasMore ? 'No calls among the latest entries' : 'No AI calls yet'}
                description={
                  ledger.hasMore
                    ? 'Load more to search older entries.'
                    : 'Calls from the chat and from your API tokens show here.'
                }
              />
            )
          ) : (
            <LedgerTable entries={ledger.items} title="AI calls" />
          )}
          <LoadMoreButton list={ledger} />
        </Stack>
      </SectionCard>
    </Stack>
  );
}
