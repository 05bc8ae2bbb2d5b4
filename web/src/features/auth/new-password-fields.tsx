import { Input } from '@chakra-ui/react';
import { useState } from 'react';
import { FormField } from '../../components/ui/form-field';

export interface NewPasswordFieldsProps {
  password: string;
  confirmation: string;
  onPasswordChange: (password: string) => void;
  onConfirmationChange: (confirmation: string) => void;
  /** Marks the confirmation invalid while it differs from the password. */
  isMismatchShown: boolean;
  /** What the password lacks under the pool's policy, shown once the user submits. */
  policyProblem?: string | undefined;
}

/**
 * Returns what a password lacks under the pool's password policy, or undefined when it
 * meets it. The SPA checks before Cognito does, because cognito-local does not enforce the
 * policy, and so users learn the rule before a round trip.
 */
export function passwordPolicyProblem(password: string): string | undefined {
  if (password.length < 12) return 'Use at least 12 characters.';
  if (!/[A-Z]/.test(password)) return 'Add an upper-case letter.';
  if (!/[a-z]/.test(password)) return 'Add a lower-case letter.';
  if (!/[0-9]/.test(password)) return 'Add a digit.';
  if (!/[^A-Za-z0-9]/.test(password)) return 'Add a symbol.';
  return undefined;
}

/**
 * Renders the "New password" and "Confirm new password" inputs with the pool's password
 * policy as help text.
 */
export function NewPasswordFields(props: NewPasswordFieldsProps) {
  const { password, confirmation, isMismatchShown } = props;
  return (
    <>
      <FormField
        label="New password"
        required
        // NOTE: copies the pool's password policy (infra/src/identity.ts and the local
        // bootstrap), which Cognito enforces on submit. Change them together.
        helperText="Use 12 or more characters with upper- and lower-case letters, a digit and a symbol."
        errorText={props.policyProblem}
      >
        <Input
          type="password"
          name="new-password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => props.onPasswordChange(event.target.value)}
        />
      </FormField>
      <FormField
        label="Confirm new password"
        required
        errorText={
          isMismatchShown && password !== confirmation ? 'The passwords do not match.' : undefined
        }
      >
        <Input
          type="password"
          name="confirm-password"
          autoComplete="new-password"
          value={confirmation}
          onChange={(event) => props.onConfirmationChange(event.target.value)}
        />
      </FormField>
    </>
  );
}

/**
 * Keeps the state of `NewPasswordFields`. `check` returns whether the two entries match and
 * meet the password policy, and shows what is wrong when they do not.
 */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [isMismatchShown, setMismatchShown] = useState(false);
  const [policyProblem, setPolicyProblem] = useState<string | undefined>();

  return {
    password,
    fieldProps: {
      password,
      confirmation,
      onPasswordChange: setPassword,
      onConfirmationChange: setConfirmation,
      isMismatchShown,
      policyProblem,
    } satisfies NewPasswordFieldsProps,
    check: (): boolean => {
      const isMatch = password === confirmation;
      const problem = passwordPolicyProblem(password);
      setMismatchShown(!isMatch);
      setPolicyProblem(problem);
      return isMatch && problem === undefined;
    },
  };
}
