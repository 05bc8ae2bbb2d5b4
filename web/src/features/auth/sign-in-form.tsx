import { Alert, Button, Input, Stack } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { useSubmit } from '../../lib/use-request';

export interface SignInFormProps {
  onSignIn: (email: string, password: string) => Promise<void>;
  /** Shown above the form, such as why the last session ended. */
  notice?: string | null;
}

/** Renders the email and password form and shows Cognito's message when sign-in fails. */
export function SignInForm({ onSignIn, notice }: SignInFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = useSubmit(onSignIn);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(email, password);
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4">
        {notice && !submit.error && (
          <Alert.Root status="info">
            <Alert.Indicator />
            <Alert.Title>{notice}</Alert.Title>
          </Alert.Root>
        )}
        <ErrorAlert error={submit.error} />
        <FormField label="Email" required>
          <Input
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </FormField>
        <FormField label="Password" required>
          <Input
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </FormField>
        <Button type="submit" loading={submit.isPending} loadingText="Signing in…" width="full">
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
