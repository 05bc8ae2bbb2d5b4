import { Input } from '@chakra-ui/react';
import type { Ref } from 'react';
import { FormField } from '../../components/ui/form-field';

/** Number of digits in a code from an authenticator app (TOTP, as Cognito issues them). */
export const MFA_CODE_LENGTH = 6;

export const MFA_CODE_LENGTH_MESSAGE = `Enter the ${MFA_CODE_LENGTH} digits that your authenticator app shows.`;

/** Returns the digits of typed or pasted text, at most `MFA_CODE_LENGTH` of them. */
export function toMfaCode(text: string): string {
  // Apps show the code as "123 456", so spaces and other characters are dropped first.
  return text.replace(/\D/g, '').slice(0, MFA_CODE_LENGTH);
}

export interface MfaCodeFieldProps {
  value: string;
  onChange: (code: string) => void;
  helperText?: string;
  errorText?: string;
  autoFocus?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

/** Renders the input for the 6-digit code of an authenticator app. */
export function MfaCodeField(props: MfaCodeFieldProps) {
  return (
    <FormField
      label="Authentication code"
      required
      helperText={props.helperText}
      errorText={props.errorText}
    >
      <Input
        ref={props.inputRef}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        autoFocus={props.autoFocus}
        placeholder="123456"
        value={props.value}
        onChange={(event) => props.onChange(toMfaCode(event.target.value))}
      />
    </FormField>
  );
}
