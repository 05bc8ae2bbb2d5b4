import { Button } from '@chakra-ui/react';
import { type ReactNode, useState } from 'react';
import { useSubmit } from '../../lib/use-request';
import { ConfirmDialog } from './confirm-dialog';

export interface ConfirmButtonProps {
  label: string;
  /** Names the button where its label alone is ambiguous, such as in a table row. */
  ariaLabel?: string;
  title: string;
  confirmLabel: string;
  /** Colours both buttons red. */
  isDestructive?: boolean;
  /** @default 'xs' */
  size?: 'xs' | 'sm';
  disabled?: boolean;
  /** Text on the action's effect and on what it cannot undo. */
  children: ReactNode;
  /** Runs the action. The dialog closes when it resolves and shows the error when it throws. */
  onConfirm: () => Promise<void>;
}

/** Renders a button whose action runs only after the user confirms it in a dialog. */
export function ConfirmButton(props: ConfirmButtonProps) {
  const [isOpen, setOpen] = useState(false);
  const action = useSubmit(async () => {
    await props.onConfirm();
    setOpen(false);
  });

  return (
    <>
      <Button
        size={props.size ?? 'xs'}
        variant="outline"
        colorPalette={props.isDestructive ? 'red' : undefined}
        aria-label={props.ariaLabel}
        disabled={props.disabled}
        onClick={() => {
          action.clearError();
          setOpen(true);
        }}
      >
        {props.label}
      </Button>
      <ConfirmDialog
        isOpen={isOpen}
        title={props.title}
        confirmLabel={props.confirmLabel}
        isDestructive={props.isDestructive}
        isPending={action.isPending}
        error={action.error}
        onConfirm={() => void action.run()}
        onCancel={() => setOpen(false)}
      >
        {props.children}
      </ConfirmDialog>
    </>
  );
}
