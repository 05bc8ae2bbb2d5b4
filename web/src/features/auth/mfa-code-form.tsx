import { Button, Stack } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { useSubmit } from '../../lib/use-request';
import { MfaCodeField } from './mfa-code-field';

export interface MfaCodeFormProps {
  onSubmitCode: (code: string) => Promise<void>;
  onCancel: () => void;
}

/** Asks for the authenticator app's code, the second step of signing in. */
export function MfaCodeForm({ onSubmitCode, onCancel }: MfaCodeFormProps) {
  const [code, setCode] = useState('');
  const submit = useSubmit(onSubmitCode);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(code);
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <MfaCodeField
          value={code}
          onChange={setCode}
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
