import { Box, NativeSelect, SimpleGrid, Stack } from '@chakra-ui/react';
import { type ReactNode, useState } from 'react';
import { EmptyState } from '../../components/ui/empty-state';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { LoadMoreButton } from '../../components/ui/load-more-button';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { toaster } from '../../components/ui/toaster';
import { useApi } from '../../lib/api-context';
import type { CreditRequest, CreditRequestStatus } from '../../lib/api-types';
import { formatCreditCount } from '../../lib/format';
import { type PagedListState, usePagedList } from '../../lib/use-paged-list';
import { useMe } from '../auth/use-auth';
import { CreditRequestTable } from './credit-request-table';
import { DecisionDialog } from './decision-dialog';
import { RequestCreditsForm } from './request-credits-form';

/**
 * Renders credit requests. A TenantAdmin approves or denies the tenant's requests, pending
 * ones first. A User requests credits and follows their own requests.
 */
export function CreditRequestsPage() {
  const { role } = useMe();
  return role === 'User' ? <MyCreditRequests /> : <TenantCreditRequests />;
}

function TenantCreditRequests() {
  const api = useApi();
  const { tenantId } = useMe();
  const [status, setStatus] = useState<CreditRequestStatus | ''>('PENDING');
  const requests = usePagedList(
    (cursor) => api.listCreditRequests(tenantId, { status: status || undefined, cursor }),
    `requests|${tenantId}|${status}`,
  );

  const replace = (decided: CreditRequest) =>
    requests.updateItems((items) =>
      status === 'PENDING'
        ? items.filter((item) => item.requestId !== decided.requestId)
        : items.map((item) => (item.requestId === decided.requestId ? decided : item)),
    );

  return (
    <Stack gap="6">
      <PageHeader
        title="Credit requests"
        description="Members ask for credits here. Approving allocates the amount from the pool."
      />
      <SectionCard title="Requests" description="Newest first.">
        <Stack gap="4">
          <Box width={{ base: 'full', sm: '56' }}>
            <FormField label="Status">
              <NativeSelect.Root size="sm">
                <NativeSelect.Field
                  name="status"
                  value={status}
                  onChange={(event) =>
                    setStatus(event.currentTarget.value as CreditRequestStatus | '')
                  }
                >
                  <option value="PENDING">Pending</option>
                  <option value="APPROVED">Approved</option>
                  <option value="DENIED">Denied</option>
                  <option value="">All</option>
                </NativeSelect.Field>
                <NativeSelect.Indicator />
              </NativeSelect.Root>
            </FormField>
          </Box>
          <RequestList
            requests={requests}
            emptyTitle={status === 'PENDING' ? 'No pending requests' : 'No requests'}
            isMemberShown
            renderActions={(request) => (
              <>
                <DecisionDialog
                  request={request}
                  decision="approve"
                  onDecide={async (note) => {
                    const result = await api.approveCreditRequest(
                      tenantId,
                      request.requestId,
                      note,
                    );
                    toaster.create({
                      type: 'success',
                      title: `Allocated ${formatCreditCount(request.amount)} to ${request.email}`,
                    });
                    replace(result.request);
                  }}
                />
                <DecisionDialog
                  request={request}
                  decision="deny"
                  onDecide={async (note) => {
                    const result = await api.denyCreditRequest(tenantId, request.requestId, note);
                    toaster.create({
                      type: 'info',
                      title: `Denied the request of ${request.email}`,
                    });
                    replace(result.request);
                  }}
                />
              </>
            )}
          />
        </Stack>
      </SectionCard>
    </Stack>
  );
}

function MyCreditRequests() {
  const api = useApi();
  const { tenantId, userId } = useMe();
  const requests = usePagedList(
    (cursor) => api.listCreditRequests(tenantId, { cursor }),
    `my-requests|${userId}`,
  );

  return (
    <Stack gap="6">
      <PageHeader
        title="Request credits"
        description="Ask your tenant's admins for more credits. You get an email when they approve or deny the request."
      />
      <SimpleGrid columns={{ base: 1, lg: 2 }} gap="6" alignItems="start">
        <SectionCard title="New request" description="Up to 3 requests can wait at once.">
          <RequestCreditsForm
            onRequest={async (input) => {
              const created = await api.createCreditRequest(tenantId, input);
              requests.updateItems((items) => [created, ...items]);
              toaster.create({ type: 'success', title: 'Request sent to your admins' });
            }}
          />
        </SectionCard>
        <SectionCard title="Your requests" description="Newest first.">
          <RequestList requests={requests} emptyTitle="No requests yet" isMemberShown={false} />
        </SectionCard>
      </SimpleGrid>
    </Stack>
  );
}

interface RequestListProps {
  requests: PagedListState<CreditRequest>;
  emptyTitle: string;
  isMemberShown: boolean;
  renderActions?: (request: CreditRequest) => ReactNode;
}

function RequestList({ requests, emptyTitle, isMemberShown, renderActions }: RequestListProps) {
  return (
    <Stack gap="4">
      <ErrorAlert error={requests.error} />
      {requests.isLoading && requests.items.length === 0 ? (
        <LoadingRows label="Loading credit requests" />
      ) : requests.items.length === 0 ? (
        !requests.error && <EmptyState title={emptyTitle} />
      ) : (
        <CreditRequestTable
          requests={requests.items}
          isMemberShown={isMemberShown}
          renderActions={renderActions}
        />
      )}
      <LoadMoreButton list={requests} />
    </Stack>
  );
}
