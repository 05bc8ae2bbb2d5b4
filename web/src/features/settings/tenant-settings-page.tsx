import { Stack } from '@chakra-ui/react';
import { PageHeader } from '../../components/ui/page-header';
import { TenantKeyCard } from '../ai-key/tenant-key-card';
import { AlertSettingsCard } from '../alerts/alert-settings-card';
import { useMe } from '../auth/use-auth';

/** Renders a TenantAdmin's settings: the tenant's AI key and its low-balance alerts. */
export function TenantSettingsPage() {
  const { tenantId } = useMe();
  return (
    <Stack gap="6">
      <PageHeader title="Settings" description="Your tenant's AI key and low-balance alerts." />
      <TenantKeyCard tenantId={tenantId} />
      <AlertSettingsCard tenantId={tenantId} />
    </Stack>
  );
}
