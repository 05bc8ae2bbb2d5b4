import { NativeSelect, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { CreditAmountDialog } from '../../components/ui/credit-amount-dialog';
import { FormField } from '../../components/ui/form-field';
import { toaster } from '../../components/ui/toaster';
import type { TenantUser } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatCredits } from '../../lib/format';
import { useIdempotencyKey } from '../../lib/use-idempotency-key';

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
  const [operation, setOperation] = useState<Operation>('allocate');
  const idempotent = useIdempotencyKey();

  const move = async (amount: number) => {
    const input = { operation, amount };
    const balances = await idempotent.send({ tenantId, userId: user.userId, input }, (key) =>
      api.moveUserCredits(tenantId, user.userId, input, key),
    );
    toaster.create({
      type: 'success',
      title:
        operation === 'allocate'
          ? `Allocated ${formatCredits(amount)} credits to ${user.email}`
          : `Reclaimed ${formatCredits(amount)} credits from ${user.email}`,
    });
    onMoved(user.userId, balances);
  };

  return (
    <CreditAmountDialog
      triggerLabel="Credits"
      triggerAriaLabel={`Move credits for ${user.email}`}
      title={`Credits for ${user.email}`}
      summary={
        <Text textStyle="sm" color="fg.muted">
          Balance {formatCredits(user.balance)}
          {poolBalance !== undefined && ` · pool ${formatCredits(poolBalance)}`}
        </Text>
      }
      submitLabel={operation === 'allocate' ? 'Allocate' : 'Reclaim'}
      pendingLabel="Saving…"
      onOpen={() => setOperation('allocate')}
      onSubmit={move}
      renderFieldsBefore={() => (
        <FormField label="Action" required>
          <NativeSelect.Root>
            <NativeSelect.Field
              name="operation"
              value={operation}
              onChange={(event) => setOperation(event.currentTarget.value as Operation)}
            >
              <option value="allocate">Allocate from the pool</option>
              <option value="reclaim">Reclaim into the pool</option>
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </FormField>
      )}
    />
  );
}
