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
 * shows the mismatch message when they do not.
 */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [isMismatchShown, setMismatchShown] = useState(false);

  return {
    password,
    fieldProps: {
      password,
      confirmation,
      onPasswordChange: setPassword,
      onConfirmationChange: setConfirmation,
      isMismatchShown,
    } satisfies NewPasswordFieldsProps,
    check: (): boolean => {
      const isMatch = password === confirmation;
      setMismatchShown(!isMatch);
      return isMatch;
    },
  };
}
