import { Alert, Button, Input, Link, Stack } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { useSubmit } from '../../lib/use-request';
import { normalizeEmail } from './cognito-client';
import { EmailField } from './credentials-form';
import { NewPasswordFields, useNewPassword } from './new-password-fields';

export interface PasswordResetInput {
  email: string;
  code: string;
  newPassword: string;
}

export interface ForgotPasswordFormProps {
  /** Asks Cognito to email a verification code. */
  onRequestCode: (email: string) => Promise<void>;
  /** Sets the new password with the code. */
  onResetPassword: (input: PasswordResetInput) => Promise<void>;
  /** Called with the email once the new password is set. */
  onDone: (email: string) => void;
}

/**
 * Resets a forgotten password in two steps: the email, to which Cognito sends a verification
 * code, then the code with the new password.
 */
export function ForgotPasswordForm(props: ForgotPasswordFormProps) {
  const [email, setEmail] = useState('');
  const [codeSentTo, setCodeSentTo] = useState<string | null>(null);

  if (codeSentTo === null) {
    return (
      <RequestCodeStep
        email={email}
        onEmailChange={setEmail}
        onRequestCode={async () => {
          await props.onRequestCode(email);
          setCodeSentTo(normalizeEmail(email));
        }}
      />
    );
  }
  return (
    <ResetPasswordStep
      email={codeSentTo}
      onSendAgain={() => props.onRequestCode(codeSentTo)}
      onResetPassword={async (code, newPassword) => {
        await props.onResetPassword({ email: codeSentTo, code, newPassword });
        props.onDone(codeSentTo);
      }}
      onChangeEmail={() => setCodeSentTo(null)}
    />
  );
}

interface RequestCodeStepProps {
  email: string;
  onEmailChange: (email: string) => void;
  onRequestCode: () => Promise<void>;
}

function RequestCodeStep({ email, onEmailChange, onRequestCode }: RequestCodeStepProps) {
  const submit = useSubmit(onRequestCode);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run();
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <EmailField value={email} onChange={onEmailChange} />
        <Button type="submit" loading={submit.isPending} loadingText="Sending…" width="full">
          Send reset code
        </Button>
        <BackToSignIn />
      </Stack>
    </form>
  );
}

interface ResetPasswordStepProps {
  email: string;
  onSendAgain: () => Promise<void>;
  onResetPassword: (code: string, newPassword: string) => Promise<void>;
  onChangeEmail: () => void;
}

function ResetPasswordStep(props: ResetPasswordStepProps) {
  const [code, setCode] = useState('');
  const [isSentAgain, setSentAgain] = useState(false);
  const newPassword = useNewPassword();
  const submit = useSubmit(props.onResetPassword);
  const sendAgain = useSubmit(async () => {
    await props.onSendAgain();
    setSentAgain(true);
  });
  const isBusy = submit.isPending || sendAgain.isPending;

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (newPassword.check()) void submit.run(code, newPassword.password);
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4">
        <Alert.Root status="info">
          <Alert.Indicator />
          <Alert.Description>
            If {props.email} has an account, a verification code is on its way to that address
            {isSentAgain ? ' again' : ''}.
          </Alert.Description>
        </Alert.Root>
        <ErrorAlert error={submit.error ?? sendAgain.error} />
        <FormField label="Verification code" required>
          <Input
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
        </FormField>
        <NewPasswordFields {...newPassword.fieldProps} />
        <Button type="submit" loading={submit.isPending} loadingText="Saving…" width="full">
          Reset password
        </Button>
        <Stack direction="row" justify="center" gap="2">
          <Button
            variant="ghost"
            size="sm"
            loading={sendAgain.isPending}
            loadingText="Sending…"
            disabled={isBusy}
            onClick={() => void sendAgain.run()}
          >
            Send a new code
          </Button>
          <Button variant="ghost" size="sm" disabled={isBusy} onClick={props.onChangeEmail}>
            Use another email
          </Button>
        </Stack>
        <BackToSignIn />
      </Stack>
    </form>
  );
}

function BackToSignIn() {
  return (
    <Link asChild alignSelf="center" textStyle="sm">
      <RouterLink to="/">Back to sign-in</RouterLink>
    </Link>
  );
}
