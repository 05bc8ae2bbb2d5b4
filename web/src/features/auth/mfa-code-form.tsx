import { Button, Stack } from '@chakra-ui/react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { MfaCodeField } from './mfa-code-field';
import { useMfaCodeSubmit } from './use-mfa-code';

export interface MfaCodeFormProps {
  onSubmitCode: (code: string) => Promise<void>;
  onCancel: () => void;
}

/** Asks for the authenticator app's code, the second step of signing in. */
export function MfaCodeForm({ onSubmitCode, onCancel }: MfaCodeFormProps) {
  const { submit, handleSubmit, fieldProps } = useMfaCodeSubmit(onSubmitCode);

  return (
    <form onSubmit={(event) => void handleSubmit(event)} noValidate>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <MfaCodeField
          {...fieldProps}
          autoFocus
          helperText="Open your authenticator app and enter the code it shows for Creditgate."
        />
        <Button type="submit" loading={submit.isPending} loadingText="Checking…" width="full">
          Verify and sign in
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={submit.isPending}>
          Back to sign-in
        </Button>
      </Stack>
    </form>
  );
}
