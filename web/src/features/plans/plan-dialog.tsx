import { Button, CloseButton, Dialog, Portal } from '@chakra-ui/react';
import { useState } from 'react';
import { toaster } from '../../components/ui/toaster';
import type { Plan } from '../../lib/api-client';
import { PlanForm } from './plan-form';

export interface PlanDialogProps {
  /** The plan to edit; without it the dialog creates one. */
  plan?: Plan;
  onSaved: (plan: Plan) => void;
}

/** Renders a "New plan" or "Edit" button that opens the plan form in a dialog. */
export function PlanDialog({ plan, onSaved }: PlanDialogProps) {
  const [isOpen, setOpen] = useState(false);

  const handleSaved = (saved: Plan) => {
    setOpen(false);
    toaster.create({
      type: 'success',
      title: plan ? `Plan ${saved.name} saved` : `Plan ${saved.name} created`,
    });
    onSaved(saved);
  };

  return (
    <Dialog.Root
      open={isOpen}
      onOpenChange={(details) => setOpen(details.open)}
      size={{ base: 'full', md: 'lg' }}
      scrollBehavior="inside"
    >
      <Dialog.Trigger asChild>
        <Button
          size={plan ? 'xs' : 'sm'}
          variant="outline"
          aria-label={plan ? `Edit plan ${plan.name}` : undefined}
        >
          {plan ? 'Edit' : 'New plan'}
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>{plan ? `Edit plan ${plan.name}` : 'New plan'}</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body paddingBottom="6">
              {isOpen && <PlanForm plan={plan} onSaved={handleSaved} />}
            </Dialog.Body>
            <Dialog.CloseTrigger asChild>
              <CloseButton size="sm" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
