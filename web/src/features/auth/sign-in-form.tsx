import { Link } from '@chakra-ui/react';
import { Link as RouterLink } from 'react-router';
import { CredentialsForm } from './credentials-form';

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
  return (
    <CredentialsForm
      initialEmail={initialEmail}
      notice={notice ? { text: notice, status: noticeStatus } : null}
      password={{ label: 'Password', name: 'password', autoComplete: 'current-password' }}
      submitLabel="Sign in"
      pendingLabel="Signing in…"
      onSubmit={onSignIn}
      footer={
        <Link asChild alignSelf="center" textStyle="sm">
          <RouterLink to="/forgot-password">Forgot your password?</RouterLink>
        </Link>
      }
    />
  );
}
