import { Input } from '@chakra-ui/react';
import { FormField } from '../../components/ui/form-field';

/** Number of digits in a code from an authenticator app (TOTP, as Cognito issues them). */
export const MFA_CODE_LENGTH = 6;

export interface MfaCodeFieldProps {
  value: string;
  onChange: (code: string) => void;
  helperText?: string;
}

/** Renders the input for the 6-digit code of an authenticator app. */
export function MfaCodeField({ value, onChange, helperText }: MfaCodeFieldProps) {
  return (
    <FormField label="Authentication code" required helperText={helperText}>
      <Input
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern={`[0-9]{${MFA_CODE_LENGTH}}`}
        maxLength={MFA_CODE_LENGTH}
        placeholder="123456"
        value={value}
        // Apps show the code as "123 456", so spaces and other characters are dropped.
        onChange={(event) => onChange(event.target.value.replace(/\D/g, ''))}
      />
    </FormField>
  );
}
