import { Button, CloseButton, Dialog, Input, NativeSelect, Portal, Stack } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { toaster } from '../../components/ui/toaster';
import type { Plan, Tenant } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatCredits, parseCreditAmount } from '../../lib/format';
import { useSubmit } from '../../lib/use-request';

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
    if (!open && submit.isPending) return;
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
    <Dialog.Root open={isOpen} onOpenChange={(details) => handleOpenChange(details.open)}>
      <Dialog.Trigger asChild>
        <Button size="xs" variant="outline" aria-label={`Edit tenant ${tenant.name}`}>
          Edit
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <form onSubmit={handleSubmit} noValidate>
              <Dialog.Header>
                <Dialog.Title>Edit {tenant.name}</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Stack gap="4">
                  <ErrorAlert error={submit.error} />
                  <FormField
                    label="Tenant name"
                    required
                    errorText={
                      name.trim() === '' ? 'Enter a name.' : submit.error?.messageFor('name')
                    }
                  >
                    <Input
                      name="tenant-name"
                      value={name}
                      maxLength={120}
                      onChange={(event) => setName(event.target.value)}
                    />
                  </FormField>
                  <FormField label="Plan" required errorText={submit.error?.messageFor('planId')}>
                    <NativeSelect.Root>
                      <NativeSelect.Field
                        name="plan"
                        value={planId}
                        onChange={(event) => setPlanId(event.currentTarget.value)}
                      >
                        {plans.map((plan) => (
                          <option key={plan.planId} value={plan.planId}>
                            {plan.name}
                          </option>
                        ))}
                      </NativeSelect.Field>
                      <NativeSelect.Indicator />
                    </NativeSelect.Root>
                  </FormField>
                  <FormField
                    label="Credit limit"
                    required
                    helperText={`The most unspent credits the tenant may hold. Pool now ${formatCredits(tenant.poolBalance)}.`}
                    errorText={
                      isLimitInvalid
                        ? 'Enter a whole number of credits, 1 or more.'
                        : submit.error?.messageFor('creditLimit')
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
              </Dialog.Body>
              <Dialog.Footer>
                <Dialog.ActionTrigger asChild>
                  <Button variant="outline" disabled={submit.isPending}>
                    Cancel
                  </Button>
                </Dialog.ActionTrigger>
                <Button type="submit" loading={submit.isPending} loadingText="Saving…">
                  Save
                </Button>
              </Dialog.Footer>
            </form>
            <Dialog.CloseTrigger asChild disabled={submit.isPending}>
              <CloseButton size="sm" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
