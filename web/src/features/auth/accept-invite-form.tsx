import { Button, Input, Link, Stack, Text } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { useSubmit } from '../../lib/use-request';

export interface AcceptInviteFormProps {
  /** The invited email from the invitation link. The invitee can still change it. */
  initialEmail: string;
  /** Signs in with the temporary password, which leads to the new-password step. */
  onSignIn: (email: string, temporaryPassword: string) => Promise<void>;
}

/**
 * Renders the first step of accepting an invitation: the invited email and the temporary
 * password from the invitation email. An expired temporary password gets a message that
 * sends the invitee to their admin.
 */
export function AcceptInviteForm({ initialEmail, onSignIn }: AcceptInviteFormProps) {
  const [email, setEmail] = useState(initialEmail);
  const [temporaryPassword, setTemporaryPassword] = useState('');
  const submit = useSubmit(onSignIn);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(email, temporaryPassword);
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4">
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
        <FormField
          label="Temporary password"
          required
          helperText="Copy it from your invitation email."
        >
          <Input
            type="password"
            name="temporary-password"
            autoComplete="one-time-code"
            value={temporaryPassword}
            onChange={(event) => setTemporaryPassword(event.target.value)}
          />
        </FormField>
        <Button type="submit" loading={submit.isPending} loadingText="Checking…" width="full">
          Continue
        </Button>
        <Text textStyle="sm" color="fg.muted" alignSelf="center">
          Already chose a password?{' '}
          <Link asChild>
            <RouterLink to="/">Sign in</RouterLink>
          </Link>
        </Text>
      </Stack>
    </form>
  );
}
