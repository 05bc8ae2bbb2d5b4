import { Button, Input, Stack } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { useSubmit } from '../../lib/use-request';

export interface NewPasswordFormProps {
  onSetPassword: (newPassword: string) => Promise<void>;
  onCancel: () => void;
}

/** Asks for a new password after a sign-in with a temporary one. */
export function NewPasswordForm({ onSetPassword, onCancel }: NewPasswordFormProps) {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [isMismatchShown, setMismatchShown] = useState(false);
  const submit = useSubmit(onSetPassword);
  const isMismatch = password !== confirmation;

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (isMismatch) {
      setMismatchShown(true);
      return;
    }
    void submit.run(password);
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <FormField
          label="New password"
          required
          // NOTE: copies the pool's password policy (infra/src/identity.ts and the local
          // bootstrap), which Cognito enforces on submit. Change them together.
          helperText="Use 12 or more characters with upper- and lower-case letters, a digit and a symbol."
        >
          <Input
            type="password"
            name="new-password"
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </FormField>
        <FormField
          label="Confirm new password"
          required
          errorText={isMismatchShown && isMismatch ? 'The passwords do not match.' : undefined}
        >
          <Input
            type="password"
            name="confirm-password"
            autoComplete="new-password"
            value={confirmation}
            onChange={(event) => setConfirmation(event.target.value)}
          />
        </FormField>
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
