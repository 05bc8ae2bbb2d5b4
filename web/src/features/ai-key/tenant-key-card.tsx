import { Badge, Box, HStack, Stack, Text } from '@chakra-ui/react';
import { ConfirmButton } from '../../components/ui/confirm-button';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadingRows } from '../../components/ui/loading-rows';
import { SectionCard } from '../../components/ui/section-card';
import { toaster } from '../../components/ui/toaster';
import { useApi } from '../../lib/api-context';
import { useLoad } from '../../lib/use-request';
import { KeyInputForm } from './key-input-form';
import { KeyStatusBadge } from './key-status-badge';

export interface TenantKeyCardProps {
  tenantId: string;
}

/**
 * Shows which OpenAI key serves the tenant's calls and whether it works, and lets a
 * TenantAdmin set the tenant's own key (write-only) or remove it.
 */
export function TenantKeyCard({ tenantId }: TenantKeyCardProps) {
  const api = useApi();
  const key = useLoad(() => api.getTenantKey(tenantId), `tenant-key|${tenantId}`);
  const status = key.data;
  return (
    <SectionCard
      title="AI key"
      description="Calls use your own OpenAI key when it is active and your plan allows it, else the platform key."
    >
      <Stack gap="4">
        <ErrorAlert error={key.error} />
        {!status ? (
          key.isLoading && <LoadingRows label="Loading the key status" rows={2} />
        ) : (
          <HStack gap="3" wrap="wrap">
            <Text>Source</Text>
            <Badge variant="outline" size="lg">
              {status.source === 'tenant' ? 'Own key' : 'Platform key'}
            </Badge>
            <KeyStatusBadge status={status.status} />
            {status.source === 'tenant' && (
              <Box marginStart="auto">
                <ConfirmButton
                  label="Remove own key"
                  title="Remove your own key?"
                  confirmLabel="Remove key"
                  isDestructive
                  onConfirm={async () => {
                    const saved = await api.deleteTenantKey(tenantId);
                    key.setData(() => saved);
                    toaster.create({
                      type: 'success',
                      title: 'Own key removed; the platform key serves calls',
                    });
                  }}
                >
                  Calls use the platform key again, charged at the plan's platform prices.
                </ConfirmButton>
              </Box>
            )}
          </HStack>
        )}
        <KeyInputForm
          label="Own OpenAI key"
          helperText="Write-only: it is tested with a call, stored encrypted and never shown again."
          submitLabel={status?.source === 'tenant' ? 'Replace key' : 'Set key'}
          onSubmit={async (apiKey) => {
            const saved = await api.setTenantKey(tenantId, apiKey);
            key.setData(() => saved);
            toaster.create({ type: 'success', title: 'Own key saved and active' });
          }}
        />
      </Stack>
    </SectionCard>
  );
}
