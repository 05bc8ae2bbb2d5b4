import { Button, Input, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormDialog } from '../../components/ui/form-dialog';
import { FormField } from '../../components/ui/form-field';
import { MfaCodeField } from '../auth/mfa-code-field';
import { useMfaCodeSubmit } from '../auth/use-mfa-code';

export interface TurnOffDialogProps {
  /** Signs in again with the password and code, then turns the app off. */
  onTurnOff: (input: { password: string; code: string }) => Promise<void>;
}

/**
 * Renders "Turn off" and its dialog. Turning the second step off requires the password and
 * a current code, so an open session alone cannot remove it.
 */
export function TurnOffDialog({ onTurnOff }: TurnOffDialogProps) {
  const [isOpen, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const { submit, handleSubmit, fieldProps } = useMfaCodeSubmit(async (code) => {
    await onTurnOff({ password, code });
    setOpen(false);
  });

  return (
    <FormDialog
      trigger={
        <Button size="sm" variant="outline" colorPalette="red">
          Turn off
        </Button>
      }
      title="Turn off two-step verification?"
      role="alertdialog"
      isOpen={isOpen}
      onOpenChange={(open) => {
        setOpen(open);
        setPassword('');
        fieldProps.onChange('');
      }}
      isPending={submit.isPending}
      submitLabel="Turn off"
      pendingLabel="Turning off…"
      submitColorPalette="red"
      onSubmit={(event) => void handleSubmit(event)}
    >
      <Stack gap="4">
        <Text textStyle="sm">
          Sign-in then requires your password only. Confirm with your password and a current code
          from your authenticator app.
        </Text>
        <ErrorAlert error={submit.error} />
        <FormField label="Password" required>
          <Input
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
              submit.clearError();
            }}
          />
        </FormField>
        <MfaCodeField {...fieldProps} />
      </Stack>
    </FormDialog>
  );
}
