import {
  Button,
  CloseButton,
  Dialog,
  Input,
  NativeSelect,
  Portal,
  Stack,
  Text,
} from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { toaster } from '../../components/ui/toaster';
import type { TenantUser } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatCredits, parseCreditAmount } from '../../lib/format';
import { useIdempotencyKey } from '../../lib/use-idempotency-key';
import { useSubmit } from '../../lib/use-request';

export interface MoveCreditsDialogProps {
  tenantId: string;
  user: TenantUser;
  poolBalance: number | undefined;
  onMoved: (userId: string, balances: { userBalance: number; poolBalance: number }) => void;
}

type Operation = 'allocate' | 'reclaim';

/** Renders a "Credits" button that allocates pool credits to a user or reclaims them. */
export function MoveCreditsDialog({
  tenantId,
  user,
  poolBalance,
  onMoved,
}: MoveCreditsDialogProps) {
  const api = useApi();
  const [isOpen, setOpen] = useState(false);
  const [operation, setOperation] = useState<Operation>('allocate');
  const [amount, setAmount] = useState('');
  const [isAmountInvalid, setAmountInvalid] = useState(false);
  const idempotent = useIdempotencyKey();
  const submit = useSubmit(async (credits: number) => {
    const input = { operation, amount: credits };
    const balances = await idempotent.send({ tenantId, userId: user.userId, input }, (key) =>
      api.moveUserCredits(tenantId, user.userId, input, key),
    );
    setOpen(false);
    toaster.create({
      type: 'success',
      title:
        operation === 'allocate'
          ? `Allocated ${formatCredits(credits)} credits to ${user.email}`
          : `Reclaimed ${formatCredits(credits)} credits from ${user.email}`,
    });
    onMoved(user.userId, balances);
  });

  const handleOpenChange = (open: boolean) => {
    setOpen(open);
    if (open) {
      setOperation('allocate');
      setAmount('');
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
        <Button size="xs" variant="outline" aria-label={`Move credits for ${user.email}`}>
          Credits
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <form onSubmit={handleSubmit}>
              <Dialog.Header>
                <Dialog.Title>Credits for {user.email}</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Stack gap="4">
                  <Text textStyle="sm" color="fg.muted">
                    Balance {formatCredits(user.balance)}
                    {poolBalance !== undefined && ` · pool ${formatCredits(poolBalance)}`}
                  </Text>
                  <ErrorAlert error={submit.error} />
                  <FormField label="Action" required>
                    <NativeSelect.Root>
                      <NativeSelect.Field
                        value={operation}
                        onChange={(event) => setOperation(event.currentTarget.value as Operation)}
                      >
                        <option value="allocate">Allocate from the pool</option>
                        <option value="reclaim">Reclaim into the pool</option>
                      </NativeSelect.Field>
                      <NativeSelect.Indicator />
                    </NativeSelect.Root>
                  </FormField>
                  <FormField
                    label="Amount"
                    required
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
                </Stack>
              </Dialog.Body>
              <Dialog.Footer>
                <Dialog.ActionTrigger asChild>
                  <Button variant="outline" disabled={submit.isPending}>
                    Cancel
                  </Button>
                </Dialog.ActionTrigger>
                <Button type="submit" loading={submit.isPending} loadingText="Saving…">
                  {operation === 'allocate' ? 'Allocate' : 'Reclaim'}
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
