import { AuthLayout } from './auth-layout';
import { NewPasswordForm } from './new-password-form';
import { SignInForm } from './sign-in-form';
import { useAuth } from './use-auth';

/** Renders the sign-in screen, or the new-password screen while a sign-in awaits one. */
export function AuthScreens() {
  const { state, signIn, setNewPassword, signOut } = useAuth();

  if (state.status === 'newPasswordRequired') {
    return (
      <AuthLayout
        title="Choose a new password"
        description="You signed in with a temporary password. Choose your own to continue."
      >
        <NewPasswordForm onSetPassword={setNewPassword} onCancel={() => signOut()} />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Sign in" description="Use the email address your invitation was sent to.">
      <SignInForm onSignIn={signIn} notice={state.status === 'signedOut' ? state.notice : null} />
    </AuthLayout>
  );
}
