import { Alert, Button, Input, Link, Stack } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { useSubmit } from '../../lib/use-request';

export interface SignInFormProps {
  onSignIn: (email: string, password: string) => Promise<void>;
  /** Shown above the form, such as why the last session ended. */
  notice?: string | null;
  /** @default 'info' */
  noticeStatus?: 'info' | 'success';
  /** Prefills the email, such as after a password reset. */
  initialEmail?: string;
}

/** Renders the email and password form and shows Cognito's message when sign-in fails. */
export function SignInForm({
  onSignIn,
  notice,
  noticeStatus = 'info',
  initialEmail = '',
}: SignInFormProps) {
  const [email, setEmail] = useState(initialEmail);
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
          <Alert.Root status={noticeStatus}>
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
        <Link asChild alignSelf="center" textStyle="sm">
          <RouterLink to="/forgot-password">Forgot your password?</RouterLink>
        </Link>
      </Stack>
    </form>
  );
}
