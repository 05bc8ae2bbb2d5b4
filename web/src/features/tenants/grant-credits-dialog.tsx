import { Button, CloseButton, Dialog, Input, Portal, Stack } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { toaster } from '../../components/ui/toaster';
import type { Tenant } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatCredits, parseCreditAmount } from '../../lib/format';
import { useIdempotencyKey } from '../../lib/use-idempotency-key';
import { useSubmit } from '../../lib/use-request';

export interface GrantCreditsDialogProps {
  tenant: Tenant;
  onGranted: (tenantId: string, poolBalance: number) => void;
}

/** Renders a "Grant credits" button that adds credits to a tenant's pool, up to its limit. */
export function GrantCreditsDialog({ tenant, onGranted }: GrantCreditsDialogProps) {
  const api = useApi();
  const [isOpen, setOpen] = useState(false);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [isAmountInvalid, setAmountInvalid] = useState(false);
  const idempotent = useIdempotencyKey();
  const submit = useSubmit(async (credits: number) => {
    const input = { amount: credits, reason: reason.trim() };
    const result = await idempotent.send({ tenantId: tenant.tenantId, input }, (key) =>
      api.grantCredits(tenant.tenantId, input, key),
    );
    setOpen(false);
    toaster.create({
      type: 'success',
      title: `Granted ${formatCredits(credits)} credits to ${tenant.name}`,
    });
    onGranted(tenant.tenantId, result.poolBalance);
  });

  const handleOpenChange = (open: boolean) => {
    setOpen(open);
    if (open) {
      setAmount('');
      setReason('');
      setAmountInvalid(false);
      submit.clearError();
    }
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const credits = parseCreditAmount(amount);
    setAmountInvalid(credits === undefined);
    if (credits !== undefined) void submit.run(credits);
  };

  return (
    <Dialog.Root open={isOpen} onOpenChange={(details) => handleOpenChange(details.open)}>
      <Dialog.Trigger asChild>
        <Button size="xs" variant="outline">
          Grant credits
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <form onSubmit={handleSubmit}>
              <Dialog.Header>
                <Dialog.Title>Grant credits to {tenant.name}</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Stack gap="4">
                  <ErrorAlert error={submit.error} />
                  <FormField
                    label="Amount"
                    required
                    helperText={`Pool ${formatCredits(tenant.poolBalance)} of a ${formatCredits(tenant.creditLimit)} limit.`}
                    errorText={
                      isAmountInvalid
                        ? 'Enter a whole number of credits, 1 or more.'
                        : submit.error?.messageFor('amount')
                    }
                  >
                    <Input
                      inputMode="numeric"
                      value={amount}
                      onChange={(event) => setAmount(event.target.value)}
                    />
                  </FormField>
                  <FormField label="Reason" required errorText={submit.error?.messageFor('reason')}>
                    <Input
                      value={reason}
                      maxLength={500}
                      placeholder="Monthly top-up"
                      onChange={(event) => setReason(event.target.value)}
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
                <Button type="submit" loading={submit.isPending} loadingText="Granting…">
                  Grant
                </Button>
              </Dialog.Footer>
            </form>
            <Dialog.CloseTrigger asChild>
              <CloseButton size="sm" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
