import { Button, CloseButton, Dialog, Portal } from '@chakra-ui/react';
import type { FormEvent, ReactNode } from 'react';

export interface FormDialogProps {
  /** The button that opens the dialog. */
  trigger: ReactNode;
  title: ReactNode;
  isOpen: boolean;
  onOpenChange: (isOpen: boolean) => void;
  /** Disables closing and Cancel, and shows the submit button as loading. */
  isPending: boolean;
  submitLabel: string;
  pendingLabel: string;
  /** Colours the submit button, such as red for a denial. */
  submitColorPalette?: string;
  /** `alertdialog` for decisions that cannot be undone. @default 'dialog' */
  role?: 'dialog' | 'alertdialog';
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
}

/**
 * Renders a modal form with Cancel and a submit button. The caller keeps the open state, so
 * it can close the dialog once its request succeeds. The dialog stays open while a request
 * runs.
 */
export function FormDialog(props: FormDialogProps) {
  const { isPending } = props;
  return (
    <Dialog.Root
      role={props.role ?? 'dialog'}
      open={props.isOpen}
      onOpenChange={(details) => {
        if (!details.open && isPending) return;
        props.onOpenChange(details.open);
      }}
      closeOnInteractOutside={!isPending}
      closeOnEscape={!isPending}
    >
      <Dialog.Trigger asChild>{props.trigger}</Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <form onSubmit={props.onSubmit} noValidate>
              <Dialog.Header>
                <Dialog.Title>{props.title}</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>{props.children}</Dialog.Body>
              <Dialog.Footer>
                <Dialog.ActionTrigger asChild>
                  <Button variant="outline" disabled={isPending}>
                    Cancel
                  </Button>
                </Dialog.ActionTrigger>
                <Button
                  type="submit"
                  colorPalette={props.submitColorPalette}
                  loading={isPending}
                  loadingText={props.pendingLabel}
                >
                  {props.submitLabel}
                </Button>
              </Dialog.Footer>
            </form>
            <Dialog.CloseTrigger asChild disabled={isPending}>
              <CloseButton size="sm" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
