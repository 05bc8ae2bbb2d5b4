import { Input } from '@chakra-ui/react';
import { useState } from 'react';
import { CreditAmountDialog } from '../../components/ui/credit-amount-dialog';
import { FormField } from '../../components/ui/form-field';
import { toaster } from '../../components/ui/toaster';
import type { Tenant } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatCredits } from '../../lib/format';
import { useIdempotencyKey } from '../../lib/use-idempotency-key';

export interface GrantCreditsDialogProps {
  tenant: Tenant;
  onGranted: (tenantId: string, poolBalance: number) => void;
}

/** Renders a "Grant credits" button that adds credits to a tenant's pool, up to its limit. */
export function GrantCreditsDialog({ tenant, onGranted }: GrantCreditsDialogProps) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const [isReasonMissing, setReasonMissing] = useState(false);
  const idempotent = useIdempotencyKey();

  const grant = async (amount: number) => {
    const input = { amount, reason: reason.trim() };
    const result = await idempotent.send({ tenantId: tenant.tenantId, input }, (key) =>
      api.grantCredits(tenant.tenantId, input, key),
    );
    toaster.create({
      type: 'success',
      title: `Granted ${formatCredits(amount)} credits to ${tenant.name}`,
    });
    onGranted(tenant.tenantId, result.poolBalance);
  };

  return (
    <CreditAmountDialog
      triggerLabel="Grant credits"
      triggerAriaLabel={`Grant credits to ${tenant.name}`}
      title={`Grant credits to ${tenant.name}`}
      amountHelperText={`Pool ${formatCredits(tenant.poolBalance)} of a ${formatCredits(tenant.creditLimit)} limit.`}
      submitLabel="Grant"
      pendingLabel="Granting…"
      onOpen={() => {
        setReason('');
        setReasonMissing(false);
      }}
      checkFields={() => {
        const isMissing = reason.trim() === '';
        setReasonMissing(isMissing);
        return !isMissing;
      }}
      onSubmit={grant}
      renderFieldsAfter={(error) => (
        <FormField
          label="Reason"
          required
          errorText={isReasonMissing ? 'Enter a reason.' : error?.messageFor('reason')}
        >
          <Input
            name="reason"
            value={reason}
            maxLength={500}
            placeholder="Monthly top-up"
            onChange={(event) => setReason(event.target.value)}
          />
        </FormField>
      )}
    />
  );
}
