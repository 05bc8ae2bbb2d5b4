import { Button, Input, Stack } from '@chakra-ui/react';
import { type FormEvent, type ReactNode, useState } from 'react';
import type { ApiError } from '../../lib/api-error';
import { INVALID_CREDIT_AMOUNT_MESSAGE, parseCreditAmount } from '../../lib/format';
import { useSubmit } from '../../lib/use-request';
import { ErrorAlert } from './error-alert';
import { FormDialog } from './form-dialog';
import { FormField } from './form-field';

export interface CreditAmountDialogProps {
  triggerLabel: string;
  /** Names the trigger where its label alone is ambiguous, such as in a table row. */
  triggerAriaLabel?: string;
  title: string;
  /** A line above the form, such as the current balances. */
  summary?: ReactNode;
  amountHelperText?: string;
  submitLabel: string;
  pendingLabel: string;
  /** Fields above the amount, given the last error to show theirs. */
  renderFieldsBefore?: (error: ApiError | null) => ReactNode;
  /** Fields below the amount, given the last error to show theirs. */
  renderFieldsAfter?: (error: ApiError | null) => ReactNode;
  /**
   * Checks the caller's own fields before sending, showing their errors, and returns whether
   * they are valid. Nothing is sent while it returns false.
   */
  checkFields?: () => boolean;
  /** Resets the caller's own fields each time the dialog opens. */
  onOpen?: () => void;
  /** Sends the request. The dialog closes when it resolves and shows the error when it throws. */
  onSubmit: (amount: number) => Promise<void>;
}

/**
 * Renders a button that opens a dialog asking for a credit amount, checked before sending
 * (a whole number within the API's bounds), plus any fields the caller adds. Grants,
 * allocations and reclaims share it.
 */
export function CreditAmountDialog(props: CreditAmountDialogProps) {
  const [isOpen, setOpen] = useState(false);
  const [amount, setAmount] = useState('');
  const [isAmountInvalid, setAmountInvalid] = useState(false);
  const submit = useSubmit(async (credits: number) => {
    await props.onSubmit(credits);
    setOpen(false);
  });

  const handleOpenChange = (open: boolean) => {
    setOpen(open);
    if (open) {
      setAmount('');
      setAmountInvalid(false);
      submit.clearError();
      props.onOpen?.();
    }
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const credits = parseCreditAmount(amount);
    setAmountInvalid(credits === undefined);
    const areFieldsValid = props.checkFields?.() ?? true;
    if (credits !== undefined && areFieldsValid) void submit.run(credits);
  };

  return (
    <FormDialog
      trigger={
        <Button size="xs" variant="outline" aria-label={props.triggerAriaLabel}>
          {props.triggerLabel}
        </Button>
      }
      title={props.title}
      isOpen={isOpen}
      onOpenChange={handleOpenChange}
      isPending={submit.isPending}
      submitLabel={props.submitLabel}
      pendingLabel={props.pendingLabel}
      onSubmit={handleSubmit}
    >
      <Stack gap="4">
        {props.summary}
        <ErrorAlert error={submit.error} />
        {props.renderFieldsBefore?.(submit.error)}
        <FormField
          label="Amount"
          required
          helperText={props.amountHelperText}
          errorText={
            isAmountInvalid ? INVALID_CREDIT_AMOUNT_MESSAGE : submit.error?.messageFor('amount')
          }
        >
          <Input
            name="amount"
            inputMode="numeric"
            value={amount}
            onChange={(event) => {
              setAmount(event.target.value);
              // A rejection of the last amount, such as an exceeded limit, no longer applies.
              submit.clearError();
            }}
          />
        </FormField>
        {props.renderFieldsAfter?.(submit.error)}
      </Stack>
    </FormDialog>
  );
}
