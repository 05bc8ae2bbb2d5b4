import { Button } from '@chakra-ui/react';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { toaster } from '../../components/ui/toaster';
import type { Tenant } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { useSubmit } from '../../lib/use-request';

export interface TenantStatusButtonProps {
  tenant: Tenant;
  onSaved: (tenant: Tenant) => void;
}

/** Renders "Suspend" or "Reactivate" for a tenant, each confirmed in a dialog. */
export function TenantStatusButton({ tenant, onSaved }: TenantStatusButtonProps) {
  const api = useApi();
  const [isOpen, setOpen] = useState(false);
  const isSuspending = tenant.status === 'ACTIVE';
  const change = useSubmit(async () => {
    const saved = await api.updateTenant(tenant.tenantId, {
      status: isSuspending ? 'SUSPENDED' : 'ACTIVE',
    });
    setOpen(false);
    toaster.create({
      type: 'success',
      title: isSuspending ? `${tenant.name} suspended` : `${tenant.name} reactivated`,
    });
    onSaved(saved);
  });

  const label = isSuspending ? 'Suspend' : 'Reactivate';
  return (
    <>
      <Button
        size="xs"
        variant="outline"
        colorPalette={isSuspending ? 'red' : undefined}
        aria-label={`${label} ${tenant.name}`}
        onClick={() => {
          change.clearError();
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <ConfirmDialog
        isOpen={isOpen}
        title={`${label} ${tenant.name}?`}
        confirmLabel={isSuspending ? 'Suspend tenant' : 'Reactivate tenant'}
        isDestructive={isSuspending}
        isPending={change.isPending}
        error={change.error}
        onConfirm={() => void change.run()}
        onCancel={() => setOpen(false)}
      >
        {isSuspending
          ? 'Its members can no longer sign in or call AI models until you reactivate it. Credits stay where they are.'
          : 'Its members can sign in and call AI models again.'}
      </ConfirmDialog>
    </>
  );
}
