import { Link, Text } from '@chakra-ui/react';
import { Link as RouterLink } from 'react-router';
import { CredentialsForm } from './credentials-form';

export interface AcceptInviteFormProps {
  /** The invited email from the invitation link. The invitee can still change it. */
  initialEmail: string;
  /** Signs in with the temporary password, which leads to the new-password step. */
  onSignIn: (email: string, temporaryPassword: string) => Promise<void>;
}

/**
 * Renders the first step of accepting an invitation: the invited email and the temporary
 * password from the invitation email.
 */
export function AcceptInviteForm({ initialEmail, onSignIn }: AcceptInviteFormProps) {
  return (
    <CredentialsForm
      initialEmail={initialEmail}
      password={{
        label: 'Temporary password',
        name: 'temporary-password',
        autoComplete: 'one-time-code',
        helperText: 'Copy it from your invitation email.',
      }}
      submitLabel="Continue"
      pendingLabel="Checking…"
      onSubmit={onSignIn}
      footer={
        <Text textStyle="sm" color="fg.muted" alignSelf="center">
          Already chose a password?{' '}
          <Link asChild>
            <RouterLink to="/">Sign in</RouterLink>
          </Link>
        </Text>
      }
    />
  );
}
