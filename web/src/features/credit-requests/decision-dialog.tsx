import { Button, Stack, Text, Textarea } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormDialog } from '../../components/ui/form-dialog';
import { FormField } from '../../components/ui/form-field';
import type { CreditRequest } from '../../lib/api-types';
import { formatCreditCount } from '../../lib/format';
import { useSubmit } from '../../lib/use-request';

export interface DecisionDialogProps {
  request: CreditRequest;
  decision: 'approve' | 'deny';
  /** Sends the decision. The dialog closes when it resolves and shows the error when it throws. */
  onDecide: (note: string | undefined) => Promise<void>;
}

/** Renders "Approve" or "Deny" for a pending request, with an optional note to the member. */
export function DecisionDialog({ request, decision, onDecide }: DecisionDialogProps) {
  const [isOpen, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const submit = useSubmit(async () => {
    await onDecide(note.trim() || undefined);
    setOpen(false);
  });
  const isApproval = decision === 'approve';

  const handleOpenChange = (open: boolean) => {
    setOpen(open);
    if (open) {
      setNote('');
      submit.clearError();
    }
  };
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run();
  };

  const label = isApproval ? 'Approve' : 'Deny';
  return (
    <FormDialog
      role={isApproval ? 'dialog' : 'alertdialog'}
      trigger={
        <Button
          size="xs"
          variant={isApproval ? 'solid' : 'outline'}
          colorPalette={isApproval ? undefined : 'red'}
          aria-label={`${label} the request of ${request.email} for ${formatCreditCount(request.amount)}`}
        >
          {label}
        </Button>
      }
      title={`${label} ${formatCreditCount(request.amount)} for ${request.email}?`}
      isOpen={isOpen}
      onOpenChange={handleOpenChange}
      isPending={submit.isPending}
      submitLabel={label}
      pendingLabel={isApproval ? 'Approving…' : 'Denying…'}
      submitColorPalette={isApproval ? undefined : 'red'}
      onSubmit={handleSubmit}
    >
      <Stack gap="4">
        <Text textStyle="sm" color="fg.muted">
          {isApproval ? 'The credits move from the pool to the member now.' : 'No credits move.'}{' '}
          The member is emailed your answer.
        </Text>
        <Text textStyle="sm">Reason given: {request.reason}</Text>
        <ErrorAlert error={submit.error} />
        <FormField
          label="Note to the member"
          helperText="Optional."
          errorText={submit.error?.messageFor('note')}
        >
          <Textarea
            name="note"
            maxLength={500}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
        </FormField>
      </Stack>
    </FormDialog>
  );
}
