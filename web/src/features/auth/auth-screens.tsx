import { Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router';
import { AcceptInviteForm } from './accept-invite-form';
import { AuthLayout } from './auth-layout';
import { ForgotPasswordForm } from './forgot-password-form';
import { MfaCodeForm } from './mfa-code-form';
import { NewPasswordForm } from './new-password-form';
import { SignInForm } from './sign-in-form';
import { useAuth } from './use-auth';

/** Router state that the forgot-password screen hands to the sign-in screen. */
interface PasswordResetState {
  passwordResetEmail: string;
}

/**
 * Renders the screens of a visitor without a session: sign-in, accepting an invitation and
 * resetting a password. While a sign-in awaits a new password or an authenticator code, that
 * step is shown on any path.
 */
export function AuthScreens() {
  const { state, setNewPassword, answerMfa, signOut } = useAuth();
  const { pathname } = useLocation();

  if (state.status === 'mfaRequired') {
    return (
      <AuthLayout
        title="Enter your authentication code"
        description="Your account signs in with a code from an authenticator app as well."
      >
        <MfaCodeForm onSubmitCode={answerMfa} onCancel={() => signOut()} />
      </AuthLayout>
    );
  }

  if (state.status === 'newPasswordRequired') {
    return (
      <AuthLayout
        title="Choose a new password"
        description={
          pathname === '/accept-invite'
            ? 'Choose your own password to finish accepting the invitation.'
            : 'You signed in with a temporary password. Choose your own to continue.'
        }
      >
        <NewPasswordForm onSetPassword={setNewPassword} onCancel={() => signOut()} />
      </AuthLayout>
    );
  }
  return (
    <Routes>
      <Route path="/accept-invite" element={<AcceptInviteScreen />} />
      <Route path="/forgot-password" element={<ForgotPasswordScreen />} />
      <Route path="*" element={<SignInScreen />} />
    </Routes>
  );
}

function SignInScreen() {
  const { state, signIn } = useAuth();
  const location = useLocation();
  const resetEmail = readPasswordResetEmail(location.state);
  const sessionNotice = state.status === 'signedOut' ? state.notice : null;
  // After "Back to sign-in" from a challenge step, the email is filled in again.
  const challengeEmail = state.status === 'signedOut' ? state.email : undefined;

  return (
    <AuthLayout title="Sign in" description="Use the email address your invitation was sent to.">
      <SignInForm
        onSignIn={signIn}
        initialEmail={resetEmail ?? challengeEmail}
        notice={
          resetEmail
            ? 'Your password has been reset. Sign in with your new password.'
            : sessionNotice
        }
        noticeStatus={resetEmail ? 'success' : 'info'}
      />
    </AuthLayout>
  );
}

/** Renders the target of the invitation emails' link, `/accept-invite?email=...`. */
function AcceptInviteScreen() {
  const { signIn } = useAuth();
  const [searchParams] = useSearchParams();

  return (
    <AuthLayout
      title="Accept your invitation"
      description="Enter the temporary password from your invitation email. Next you choose your own password."
    >
      <AcceptInviteForm initialEmail={searchParams.get('email') ?? ''} onSignIn={signIn} />
    </AuthLayout>
  );
}

function ForgotPasswordScreen() {
  const { requestPasswordReset, confirmPasswordReset } = useAuth();
  const navigate = useNavigate();

  return (
    <AuthLayout
      title="Reset your password"
      description="We email you a verification code to set a new password with."
    >
      <ForgotPasswordForm
        onRequestCode={requestPasswordReset}
        onResetPassword={confirmPasswordReset}
        onDone={(email) => {
          const state: PasswordResetState = { passwordResetEmail: email };
          navigate('/', { replace: true, state });
        }}
      />
    </AuthLayout>
  );
}

function readPasswordResetEmail(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const email = (state as Partial<PasswordResetState>).passwordResetEmail;
  return typeof email === 'string' ? email : undefined;
}
