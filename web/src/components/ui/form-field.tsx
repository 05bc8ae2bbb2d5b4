import { Field } from '@chakra-ui/react';
import type { ReactNode } from 'react';

export interface FormFieldProps {
  label: ReactNode;
  helperText?: ReactNode;
  /** Shown below the control and marks the field invalid. */
  errorText?: ReactNode;
  required?: boolean;
  disabled?: boolean;
  children: ReactNode;
}

/** Renders a labelled form control with helper and error text, as a closed `Field.Root`. */
export function FormField(props: FormFieldProps) {
  const { label, helperText, errorText, required, disabled, children } = props;
  return (
    <Field.Root invalid={Boolean(errorText)} required={required} disabled={disabled}>
      <Field.Label>
        {label}
        <Field.RequiredIndicator />
      </Field.Label>
      {children}
      {helperText && !errorText && <Field.HelperText>{helperText}</Field.HelperText>}
      {errorText && <Field.ErrorText>{errorText}</Field.ErrorText>}
    </Field.Root>
  );
}
