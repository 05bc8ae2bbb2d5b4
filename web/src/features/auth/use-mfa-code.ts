import { type FormEvent, useRef, useState } from 'react';
import { useSubmit } from '../../lib/use-request';
import { MFA_CODE_LENGTH, MFA_CODE_LENGTH_MESSAGE } from './mfa-code-field';

/**
 * Connects an authenticator code field to the action that sends the code. The submit
 * handler checks that the code has all its digits, runs the action, and focuses the field
 * again when the action fails, so the user can type the next code at once. Editing the code
 * clears the action's error.
 */
export function useMfaCodeSubmit(action: (code: string) => Promise<void>) {
  const submit = useSubmit(action);
  const [code, setCode] = useState('');
  const [lengthError, setLengthError] = useState<string | undefined>(undefined);
  const inputRef = useRef<HTMLInputElement>(null);

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (code.length !== MFA_CODE_LENGTH) {
      setLengthError(MFA_CODE_LENGTH_MESSAGE);
      inputRef.current?.focus();
      return;
    }
    await submit.run(code);
    inputRef.current?.focus();
  };

  return {
    submit,
    handleSubmit,
    fieldProps: {
      value: code,
      errorText: lengthError,
      inputRef,
      onChange: (value: string) => {
        setCode(value);
        setLengthError(undefined);
        submit.clearError();
      },
    },
  };
}
