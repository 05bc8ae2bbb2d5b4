import { Button, CloseButton, Dialog, Portal, Stack, Text, Textarea } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
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
    if (!open && submit.isPending) return;
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
    <Dialog.Root
      role={isApproval ? 'dialog' : 'alertdialog'}
      open={isOpen}
      onOpenChange={(details) => handleOpenChange(details.open)}
    >
      <Dialog.Trigger asChild>
        <Button
          size="xs"
          variant={isApproval ? 'solid' : 'outline'}
          colorPalette={isApproval ? undefined : 'red'}
          aria-label={`${label} the request of ${request.email} for ${formatCreditCount(request.amount)}`}
        >
          {label}
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <form onSubmit={handleSubmit}>
              <Dialog.Header>
                <Dialog.Title>
                  {label} {formatCreditCount(request.amount)} for {request.email}?
                </Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Stack gap="4">
                  <Text textStyle="sm" color="fg.muted">
                    {isApproval
                      ? 'The credits move from the pool to the member now.'
                      : 'No credits move.'}{' '}
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
              </Dialog.Body>
              <Dialog.Footer>
                <Dialog.ActionTrigger asChild>
                  <Button variant="outline" disabled={submit.isPending}>
                    Cancel
                  </Button>
                </Dialog.ActionTrigger>
                <Button
                  type="submit"
                  colorPalette={isApproval ? undefined : 'red'}
                  loading={submit.isPending}
                  loadingText={isApproval ? 'Approving…' : 'Denying…'}
                >
                  {label}
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
