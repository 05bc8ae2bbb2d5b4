import { Alert, Button, Input, Stack } from '@chakra-ui/react';
import { type FormEvent, type ReactNode, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { useSubmit } from '../../lib/use-request';

export interface EmailFieldProps {
  value: string;
  onChange: (email: string) => void;
}

/** Renders the "Email" input that every sign-in screen starts with. */
export function EmailField({ value, onChange }: EmailFieldProps) {
  return (
    <FormField label="Email" required>
      <Input
        type="email"
        name="email"
        autoComplete="username"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </FormField>
  );
}

export interface CredentialsFormProps {
  initialEmail: string;
  /** Shown above the form until a submit fails. */
  notice?: { text: string; status: 'info' | 'success' } | null;
  password: {
    label: string;
    name: string;
    autoComplete: 'current-password' | 'one-time-code';
    helperText?: string;
  };
  submitLabel: string;
  pendingLabel: string;
  onSubmit: (email: string, password: string) => Promise<void>;
  /** Links below the button. */
  footer: ReactNode;
}

/**
 * Renders an email and password form that shows Cognito's message when the submit fails.
 * Sign-in and the first step of accepting an invitation use it.
 */
export function CredentialsForm(props: CredentialsFormProps) {
  const [email, setEmail] = useState(props.initialEmail);
  const [password, setPassword] = useState('');
  const submit = useSubmit(props.onSubmit);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(email, password);
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4">
        {props.notice && !submit.error && (
          <Alert.Root status={props.notice.status}>
            <Alert.Indicator />
            <Alert.Title>{props.notice.text}</Alert.Title>
          </Alert.Root>
        )}
        <ErrorAlert error={submit.error} />
        <EmailField value={email} onChange={setEmail} />
        <FormField label={props.password.label} required helperText={props.password.helperText}>
          <Input
            type="password"
            name={props.password.name}
            autoComplete={props.password.autoComplete}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </FormField>
        <Button
          type="submit"
          loading={submit.isPending}
          loadingText={props.pendingLabel}
          width="full"
        >
          {props.submitLabel}
        </Button>
        {props.footer}
      </Stack>
    </form>
  );
}
