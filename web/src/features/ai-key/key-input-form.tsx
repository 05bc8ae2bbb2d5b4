import { Button, Input, Stack } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { useSubmit } from '../../lib/use-request';

export interface KeyInputFormProps {
  label: string;
  helperText: string;
  submitLabel: string;
  /** Sends the key. The field is cleared when it resolves. */
  onSubmit: (apiKey: string) => Promise<void>;
}

/** Checks the shape of OpenAI keys as the API does, so typos fail before a round trip. */
function keyProblem(key: string): string | undefined {
  if (!/^sk-[A-Za-z0-9_-]+$/.test(key)) return 'Paste an OpenAI key: sk- then letters and digits.';
  if (key.length < 20) return 'The key is too short.';
  if (key.startsWith('sk-admin-')) return 'Admin keys cannot serve calls. Use a project key.';
  return undefined;
}

/**
 * A write-only key field: the key is typed or pasted, sent once and cleared, and no response
 * ever shows it again.
 */
export function KeyInputForm({ label, helperText, submitLabel, onSubmit }: KeyInputFormProps) {
  const [apiKey, setApiKey] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const submit = useSubmit(async (key: string) => {
    await onSubmit(key);
    setApiKey('');
  });

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const key = apiKey.trim();
    const found = keyProblem(key);
    setProblem(found);
    if (!found) void submit.run(key);
  };

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="3">
        <ErrorAlert error={submit.error} />
        <FormField
          label={label}
          helperText={helperText}
          errorText={problem ?? submit.error?.messageFor('apiKey')}
        >
          <Input
            type="password"
            name="api-key"
            autoComplete="off"
            spellCheck={false}
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
          />
        </FormField>
        <Button
          type="submit"
          alignSelf="start"
          loading={submit.isPending}
          loadingText="Checking…"
          disabled={apiKey.trim() === ''}
        >
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
