import { Button, Input, Stack } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormDialog } from '../../components/ui/form-dialog';
import { FormField } from '../../components/ui/form-field';
import { toaster } from '../../components/ui/toaster';
import type { Plan, Tenant } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatCredits, INVALID_CREDIT_AMOUNT_MESSAGE, parseCreditAmount } from '../../lib/format';
import { useSubmit } from '../../lib/use-request';
import { PlanSelectField } from './plan-select-field';

export interface EditTenantDialogProps {
  tenant: Tenant;
  plans: Plan[];
  onSaved: (tenant: Tenant) => void;
}

/** Renders an "Edit" button that changes a tenant's name, plan and credit limit. */
export function EditTenantDialog({ tenant, plans, onSaved }: EditTenantDialogProps) {
  const api = useApi();
  const [isOpen, setOpen] = useState(false);
  const [name, setName] = useState(tenant.name);
  const [planId, setPlanId] = useState(tenant.planId);
  const [creditLimit, setCreditLimit] = useState(String(tenant.creditLimit));
  const [isLimitInvalid, setLimitInvalid] = useState(false);
  const submit = useSubmit(async (input: { name: string; planId: string; creditLimit: number }) => {
    const saved = await api.updateTenant(tenant.tenantId, input);
    setOpen(false);
    toaster.create({ type: 'success', title: `Tenant ${saved.name} saved` });
    onSaved(saved);
  });

  const handleOpenChange = (open: boolean) => {
    setOpen(open);
    if (!open) return;
    setName(tenant.name);
    setPlanId(tenant.planId);
    setCreditLimit(String(tenant.creditLimit));
    setLimitInvalid(false);
    submit.clearError();
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const limit = parseCreditAmount(creditLimit);
    setLimitInvalid(limit === undefined);
    if (limit === undefined || name.trim() === '') return;
    void submit.run({ name: name.trim(), planId, creditLimit: limit });
  };

  return (
    <FormDialog
      trigger={
        <Button size="xs" variant="outline" aria-label={`Edit tenant ${tenant.name}`}>
          Edit
        </Button>
      }
      title={`Edit ${tenant.name}`}
      isOpen={isOpen}
      onOpenChange={handleOpenChange}
      isPending={submit.isPending}
      submitLabel="Save"
      pendingLabel="Saving…"
      onSubmit={handleSubmit}
    >
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <FormField
          label="Tenant name"
          required
          errorText={name.trim() === '' ? 'Enter a name.' : submit.error?.messageFor('name')}
        >
          <Input
            name="tenant-name"
            value={name}
            maxLength={120}
            onChange={(event) => setName(event.target.value)}
          />
        </FormField>
        <PlanSelectField
          plans={plans}
          value={planId}
          onChange={setPlanId}
          errorText={submit.error?.messageFor('planId')}
        />
        <FormField
          label="Credit limit"
          required
          helperText={limitHelperText(parseCreditAmount(creditLimit), tenant.poolBalance)}
          errorText={
            isLimitInvalid ? INVALID_CREDIT_AMOUNT_MESSAGE : submit.error?.messageFor('creditLimit')
          }
        >
          <Input
            name="credit-limit"
            inputMode="numeric"
            value={creditLimit}
            onChange={(event) => setCreditLimit(event.target.value)}
          />
        </FormField>
      </Stack>
    </FormDialog>
  );
}

/**
 * Explains the credit limit, and warns when the new limit is below what the pool already
 * holds: grants then fail until spending brings the tenant's unspent credits below it.
 */
function limitHelperText(limit: number | undefined, poolBalance: number): string {
  const pool = formatCredits(poolBalance);
  if (limit !== undefined && limit < poolBalance) {
    return `The pool already holds ${pool}, more than this limit. No credits are taken back, but grants fail until the tenant's unspent credits fall below the limit.`;
  }
  return `The most unspent credits the tenant may hold. Pool now ${pool}.`;
}
