import {
  Button,
  Checkbox,
  CheckboxGroup,
  Fieldset,
  Input,
  SimpleGrid,
  Spinner,
  Stack,
  Wrap,
} from '@chakra-ui/react';
import type { CreatePlanInput } from '@creditgate/shared';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import type { Plan } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { useLoad, useSubmit } from '../../lib/use-request';

export interface CreatePlanFormProps {
  onCreated: (plan: Plan) => void;
}

const numberFields = [
  { name: 'monthlyCredits', label: 'Monthly credits', initial: '100000' },
  { name: 'seatLimit', label: 'Seats', initial: '25' },
  { name: 'maxTokensPerRequest', label: 'Max tokens per request', initial: '4096' },
  { name: 'requestsPerMinute', label: 'Requests per minute per user', initial: '60' },
  { name: 'concurrentStreams', label: 'Concurrent streams per user', initial: '4' },
] as const;

type NumberFieldName = (typeof numberFields)[number]['name'];

/**
 * Creates a plan. The model choices are the priced models of the platform price table,
 * because a plan may only list priced models.
 */
export function CreatePlanForm({ onCreated }: CreatePlanFormProps) {
  const api = useApi();
  const prices = useLoad(() => api.getPrices(), 'prices');
  const [name, setName] = useState('');
  const [models, setModels] = useState<string[]>([]);
  const [numbers, setNumbers] = useState<Record<NumberFieldName, string>>(
    () =>
      Object.fromEntries(numberFields.map((field) => [field.name, field.initial])) as Record<
        NumberFieldName,
        string
      >,
  );
  const submit = useSubmit(async (input: CreatePlanInput) =>
    onCreated(await api.createPlan(input)),
  );

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run({
      name: name.trim(),
      models,
      monthlyCredits: Number(numbers.monthlyCredits),
      seatLimit: Number(numbers.seatLimit),
      maxTokensPerRequest: Number(numbers.maxTokensPerRequest),
      requestsPerMinute: Number(numbers.requestsPerMinute),
      concurrentStreams: Number(numbers.concurrentStreams),
      // NOTE: this form does not offer tenant-owned keys yet, so new plans use the platform key.
      allowOwnKey: false,
      ownKeyRatePercent: 0,
      ownKeyFallback: 'platform',
    });
  };

  const modelIds = Object.keys(prices.data?.prices ?? {}).sort();
  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <FormField label="Plan name" required errorText={submit.error?.messageFor('name')}>
          <Input value={name} onChange={(event) => setName(event.target.value)} maxLength={120} />
        </FormField>
        <SimpleGrid columns={{ base: 1, sm: 2 }} gap="4">
          {numberFields.map((field) => (
            <FormField
              key={field.name}
              label={field.label}
              required
              errorText={submit.error?.messageFor(field.name)}
            >
              <Input
                type="number"
                inputMode="numeric"
                min={field.name === 'monthlyCredits' ? 0 : 1}
                step={1}
                value={numbers[field.name]}
                onChange={(event) =>
                  setNumbers((current) => ({ ...current, [field.name]: event.target.value }))
                }
              />
            </FormField>
          ))}
        </SimpleGrid>
        <Fieldset.Root invalid={Boolean(submit.error?.messageFor('models'))}>
          <Fieldset.Legend>Models</Fieldset.Legend>
          <Fieldset.HelperText>Only models with a price can be offered.</Fieldset.HelperText>
          <ErrorAlert error={prices.error} />
          {prices.isLoading && <Spinner size="sm" />}
          <CheckboxGroup value={models} onValueChange={setModels} name="models">
            <Wrap gap="4">
              {modelIds.map((modelId) => (
                <Checkbox.Root key={modelId} value={modelId}>
                  <Checkbox.HiddenInput />
                  <Checkbox.Control />
                  <Checkbox.Label>{modelId}</Checkbox.Label>
                </Checkbox.Root>
              ))}
            </Wrap>
          </CheckboxGroup>
          <Fieldset.ErrorText>{submit.error?.messageFor('models')}</Fieldset.ErrorText>
        </Fieldset.Root>
        <Button type="submit" loading={submit.isPending} loadingText="Creating…" alignSelf="end">
          Create plan
        </Button>
      </Stack>
    </form>
  );
}
