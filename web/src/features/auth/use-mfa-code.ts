import { useRef, useState } from 'react';
import { MFA_CODE_LENGTH, MFA_CODE_LENGTH_MESSAGE } from './mfa-code-field';

/**
 * Keeps an authenticator code field's value and its length error, and focuses the field
 * when a submit is rejected, so the user can type the next code at once.
 */
export function useMfaCode(onEdit: () => void) {
  const [code, setCode] = useState('');
  const [lengthError, setLengthError] = useState<string | undefined>(undefined);
  const inputRef = useRef<HTMLInputElement>(null);

  return {
    code,
    fieldProps: {
      value: code,
      errorText: lengthError,
      inputRef,
      onChange: (value: string) => {
        setCode(value);
        setLengthError(undefined);
        onEdit();
      },
    },
    /** Returns whether the code has all its digits, and shows the field's error if not. */
    check: (): boolean => {
      const isComplete = code.length === MFA_CODE_LENGTH;
      setLengthError(isComplete ? undefined : MFA_CODE_LENGTH_MESSAGE);
      if (!isComplete) inputRef.current?.focus();
      return isComplete;
    },
    focus: () => inputRef.current?.focus(),
  };
}
