import { ConfirmButton } from '../../components/ui/confirm-button';
import { toaster } from '../../components/ui/toaster';
import type { Tenant } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';

export interface TenantStatusButtonProps {
  tenant: Tenant;
  onSaved: (tenant: Tenant) => void;
}

/** Renders "Suspend" or "Reactivate" for a tenant, each confirmed in a dialog. */
export function TenantStatusButton({ tenant, onSaved }: TenantStatusButtonProps) {
  const api = useApi();
  const isSuspending = tenant.status === 'ACTIVE';
  const label = isSuspending ? 'Suspend' : 'Reactivate';

  const change = async () => {
    const saved = await api.updateTenant(tenant.tenantId, {
      status: isSuspending ? 'SUSPENDED' : 'ACTIVE',
    });
    toaster.create({
      type: 'success',
      title: isSuspending ? `${tenant.name} suspended` : `${tenant.name} reactivated`,
    });
    onSaved(saved);
  };

  return (
    <ConfirmButton
      label={label}
      ariaLabel={`${label} ${tenant.name}`}
      title={`${label} ${tenant.name}?`}
      confirmLabel={isSuspending ? 'Suspend tenant' : 'Reactivate tenant'}
      isDestructive={isSuspending}
      onConfirm={change}
    >
      {isSuspending
        ? 'Its members can no longer sign in or call AI models until you reactivate it. Credits stay where they are.'
        : 'Its members can sign in and call AI models again.'}
    </ConfirmButton>
  );
}
