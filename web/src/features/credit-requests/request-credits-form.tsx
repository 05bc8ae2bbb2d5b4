import { Button, Input, Stack, Textarea } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { INVALID_CREDIT_AMOUNT_MESSAGE, parseCreditAmount } from '../../lib/format';
import { useSubmit } from '../../lib/use-request';

export interface RequestCreditsFormProps {
  /** Sends the request. The form clears when it resolves. */
  onRequest: (input: { amount: number; reason: string }) => Promise<void>;
}

const MAX_REASON = 500;

/** Asks the tenant's admins for credits: an amount and a reason, both checked before sending. */
export function RequestCreditsForm({ onRequest }: RequestCreditsFormProps) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ amount?: string; reason?: string }>({});
  const submit = useSubmit(async (input: { amount: number; reason: string }) => {
    await onRequest(input);
    setAmount('');
    setReason('');
  });

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const credits = parseCreditAmount(amount);
    const trimmed = reason.trim();
    const found = {
      amount: credits === undefined ? INVALID_CREDIT_AMOUNT_MESSAGE : undefined,
      reason: trimmed === '' ? 'Say what the credits are for.' : undefined,
    };
    setProblems(found);
    if (credits === undefined || found.reason) return;
    void submit.run({ amount: credits, reason: trimmed });
  };

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <FormField
          label="Amount"
          required
          errorText={problems.amount ?? submit.error?.messageFor('amount')}
        >
          <Input
            name="amount"
            inputMode="numeric"
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
          />
        </FormField>
        <FormField
          label="Reason"
          required
          helperText={`Up to ${MAX_REASON} characters.`}
          errorText={problems.reason ?? submit.error?.messageFor('reason')}
        >
          <Textarea
            name="reason"
            maxLength={MAX_REASON}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </FormField>
        <Button type="submit" alignSelf="start" loading={submit.isPending} loadingText="Sending…">
          Send request
        </Button>
      </Stack>
    </form>
  );
}
