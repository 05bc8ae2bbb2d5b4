import { Button, Stack } from '@chakra-ui/react';
import type { FormEvent } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { useSubmit } from '../../lib/use-request';
import { NewPasswordFields, useNewPassword } from './new-password-fields';

export interface NewPasswordFormProps {
  onSetPassword: (newPassword: string) => Promise<void>;
  onCancel: () => void;
}

/** Asks for a new password after a sign-in with a temporary one. */
export function NewPasswordForm({ onSetPassword, onCancel }: NewPasswordFormProps) {
  const newPassword = useNewPassword();
  const submit = useSubmit(onSetPassword);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (newPassword.check()) void submit.run(newPassword.password);
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <NewPasswordFields {...newPassword.fieldProps} />
        <Button type="submit" loading={submit.isPending} loadingText="Saving…" width="full">
          Set password and continue
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={submit.isPending}>
          Back to sign-in
        </Button>
      </Stack>
    </form>
  );
}
