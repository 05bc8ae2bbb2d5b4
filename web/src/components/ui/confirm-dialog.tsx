import { Button, Dialog, Portal, Stack } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import type { ApiError } from '../../lib/api-error';
import { ErrorAlert } from './error-alert';

export interface ConfirmDialogProps {
  isOpen: boolean;
  title: string;
  /** Text on the action's effect and on what it cannot undo. */
  children: ReactNode;
  confirmLabel: string;
  /** Colours the confirm button red. */
  isDestructive?: boolean;
  /** Shows the confirm button as loading and keeps the dialog open. */
  isPending: boolean;
  /** The failed attempt's error, shown above the buttons. */
  error: ApiError | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Asks the user to confirm an action in a modal `alertdialog`. The caller runs the action
 * and closes the dialog when it succeeds, so a failure stays visible in the dialog.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { isOpen, isPending, error } = props;
  return (
    <Dialog.Root
      role="alertdialog"
      open={isOpen}
      onOpenChange={(details) => {
        if (!details.open && !isPending) props.onCancel();
      }}
      closeOnInteractOutside={!isPending}
      closeOnEscape={!isPending}
    >
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>{props.title}</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
              <Stack gap="4">
                <Dialog.Description asChild>
                  <div>{props.children}</div>
                </Dialog.Description>
                <ErrorAlert error={error} />
              </Stack>
            </Dialog.Body>
            <Dialog.Footer>
              <Button variant="outline" disabled={isPending} onClick={props.onCancel}>
                Cancel
              </Button>
              <Button
                colorPalette={props.isDestructive ? 'red' : undefined}
                loading={isPending}
                loadingText={props.confirmLabel}
                onClick={props.onConfirm}
              >
                {props.confirmLabel}
              </Button>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
