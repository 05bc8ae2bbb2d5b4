import { Button, CloseButton, Dialog, Portal } from '@chakra-ui/react';
import { useState } from 'react';
import { toaster } from '../../components/ui/toaster';
import type { Plan } from '../../lib/api-client';
import { CreatePlanForm } from './create-plan-form';

export interface CreatePlanDialogProps {
  onCreated: (plan: Plan) => void;
}

/** Renders a "New plan" button that opens the plan form in a dialog. */
export function CreatePlanDialog({ onCreated }: CreatePlanDialogProps) {
  const [isOpen, setOpen] = useState(false);

  const handleCreated = (plan: Plan) => {
    setOpen(false);
    toaster.create({ type: 'success', title: `Plan ${plan.name} created` });
    onCreated(plan);
  };

  return (
    <Dialog.Root open={isOpen} onOpenChange={(details) => setOpen(details.open)} size="lg">
      <Dialog.Trigger asChild>
        <Button size="sm" variant="outline">
          New plan
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>New plan</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body paddingBottom="6">
              <CreatePlanForm onCreated={handleCreated} />
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
