import { Alert, DataList, SimpleGrid, Stack } from '@chakra-ui/react';
import { ConfirmButton } from '../../components/ui/confirm-button';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { toaster } from '../../components/ui/toaster';
import { useApi } from '../../lib/api-context';
import { formatDateTime } from '../../lib/format';
import { useLoad } from '../../lib/use-request';
import { KeyInputForm } from './key-input-form';
import { KeyStatusBadge } from './key-status-badge';

/**
 * Renders the platform's OpenAI key: its status and rotation schedule, the last failure,
 * "Rotate now" and a write-only field to submit a new key. Neither the page nor the API
 * ever shows the key.
 */
export function PlatformKeyPage() {
  const api = useApi();
  const key = useLoad(() => api.getPlatformKey(), 'platform-key');
  const status = key.data;
  return (
    <Stack gap="6">
      <PageHeader
        title="Platform AI key"
        description="The OpenAI key that serves tenants without a key of their own."
      />
      <ErrorAlert error={key.error} />
      <SimpleGrid columns={{ base: 1, lg: 2 }} gap="6" alignItems="start">
        <SectionCard
          title="Status"
          actions={
            <ConfirmButton
              label="Rotate now"
              size="sm"
              disabled={!status?.rotationEnabled}
              title="Rotate the platform key now?"
              confirmLabel="Rotate now"
              onConfirm={async () => {
                await api.rotatePlatformKey();
                toaster.create({
                  type: 'success',
                  title: 'Rotation started',
                  description: 'The new key becomes current once a test call with it succeeds.',
                });
                key.reload();
              }}
            >
              A new key is minted and tested. Calls keep using the current key until the new one
              passes, and the old key is revoked after a grace period.
            </ConfirmButton>
          }
        >
          {!status ? (
            key.isLoading && <LoadingRows label="Loading the key status" rows={3} />
          ) : (
            <Stack gap="4">
              <DataList.Root orientation="horizontal">
                <DataList.Item>
                  <DataList.ItemLabel>Status</DataList.ItemLabel>
                  <DataList.ItemValue>
                    <KeyStatusBadge status={status.status} />
                  </DataList.ItemValue>
                </DataList.Item>
                <DataList.Item>
                  <DataList.ItemLabel>Last rotation</DataList.ItemLabel>
                  <DataList.ItemValue>{formatDateTime(status.lastRotatedAt)}</DataList.ItemValue>
                </DataList.Item>
                <DataList.Item>
                  <DataList.ItemLabel>Next rotation</DataList.ItemLabel>
                  <DataList.ItemValue>
                    {status.rotationEnabled
                      ? formatDateTime(status.nextRotationAt)
                      : 'Rotation is not configured'}
                  </DataList.ItemValue>
                </DataList.Item>
              </DataList.Root>
              {status.lastFailure ? (
                <Alert.Root status="warning">
                  <Alert.Indicator />
                  <Alert.Content>
                    <Alert.Title>
                      Last failure: {status.lastFailure.step} at{' '}
                      {formatDateTime(status.lastFailure.at)}
                    </Alert.Title>
                    <Alert.Description>{status.lastFailure.message}</Alert.Description>
                  </Alert.Content>
                </Alert.Root>
              ) : (
                <Alert.Root status="success">
                  <Alert.Indicator />
                  <Alert.Title>No failed rotation recorded.</Alert.Title>
                </Alert.Root>
              )}
            </Stack>
          )}
        </SectionCard>
        <SectionCard
          title="Submit a new key"
          description="The key is tested with a call before it replaces the current one."
        >
          <KeyInputForm
            label="New OpenAI key"
            helperText="Write-only: it is never shown again, here or in the API."
            submitLabel="Submit key"
            onSubmit={async (apiKey) => {
              await api.submitPlatformKey(apiKey);
              toaster.create({
                type: 'success',
                title: 'Key submitted',
                description: 'It becomes current once its test call succeeds.',
              });
              key.reload();
            }}
          />
        </SectionCard>
      </SimpleGrid>
    </Stack>
  );
}
