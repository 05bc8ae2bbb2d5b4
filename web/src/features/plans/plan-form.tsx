import {
  Button,
  Checkbox,
  CheckboxGroup,
  Fieldset,
  Input,
  NativeSelect,
  SimpleGrid,
  Spinner,
  Stack,
  Wrap,
} from '@chakra-ui/react';
import { type CreatePlanInput, MAX_CREDIT_AMOUNT } from '@creditgate/shared';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import type { Plan } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatCredits } from '../../lib/format';
import { useLoad, useSubmit } from '../../lib/use-request';

export interface PlanFormProps {
  /** The plan to edit; without it the form creates a plan. */
  plan?: Plan;
  onSaved: (plan: Plan) => void;
}

/** The plan's numbers, with the bounds that the API's plan schema sets. */
const numberFields = [
  {
    name: 'monthlyCredits',
    label: 'Monthly credits',
    initial: 100000,
    min: 0,
    max: MAX_CREDIT_AMOUNT,
  },
  { name: 'seatLimit', label: 'Seats', initial: 25, min: 1, max: 100_000 },
  {
    name: 'maxTokensPerRequest',
    label: 'Max tokens per request',
    initial: 4096,
    min: 1,
    max: 1_000_000,
  },
  {
    name: 'requestsPerMinute',
    label: 'Requests per minute per user',
    initial: 60,
    min: 1,
    max: 100_000,
  },
  {
    name: 'concurrentStreams',
    label: 'Concurrent streams per user',
    initial: 4,
    min: 1,
    max: 10_000,
  },
  {
    name: 'ownKeyRatePercent',
    label: 'Own-key rate (% of price)',
    initial: 0,
    min: 0,
    max: 100,
  },
] as const;

type NumberFieldName = (typeof numberFields)[number]['name'];

/**
 * Creates or edits a plan. The model choices are the priced models of the platform price
 * table, because a plan may only list priced models. Numbers are checked before sending.
 */
export function PlanForm({ plan, onSaved }: PlanFormProps) {
  const api = useApi();
  const prices = useLoad(() => api.getPrices(), 'prices');
  const [name, setName] = useState(plan?.name ?? '');
  const [models, setModels] = useState<string[]>(plan?.models ?? []);
  const [allowOwnKey, setAllowOwnKey] = useState(plan?.allowOwnKey ?? false);
  const [ownKeyFallback, setOwnKeyFallback] = useState(plan?.ownKeyFallback ?? 'platform');
  const [numbers, setNumbers] = useState<Record<NumberFieldName, string>>(
    () =>
      Object.fromEntries(
        numberFields.map((field) => [field.name, String(plan?.[field.name] ?? field.initial)]),
      ) as Record<NumberFieldName, string>,
  );
  const [localErrors, setLocalErrors] = useState<Partial<Record<string, string>>>({});
  const submit = useSubmit(async (input: CreatePlanInput) =>
    onSaved(plan ? await api.updatePlan(plan.planId, input) : await api.createPlan(input)),
  );

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (name.trim() === '') errors.name = 'Enter a name.';
    if (models.length === 0) errors.models = 'Choose at least one model.';
    const values = {} as Record<NumberFieldName, number>;
    for (const field of numberFields) {
      const value = Number(numbers[field.name]);
      const isInRange = value >= field.min && value <= field.max;
      if (!Number.isInteger(value) || !isInRange || numbers[field.name].trim() === '') {
        errors[field.name] =
          `Enter a whole number from ${formatCredits(field.min)} to ${formatCredits(field.max)}.`;
      }
      values[field.name] = value;
    }
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    void submit.run({
      name: name.trim(),
      models,
      ...values,
      allowOwnKey,
      ownKeyFallback,
    });
  };

  const errorFor = (field: string) => localErrors[field] ?? submit.error?.messageFor(field);
  const modelIds = [
    ...new Set([...Object.keys(prices.data?.prices ?? {}), ...(plan?.models ?? [])]),
  ].sort();
  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <FormField label="Plan name" required errorText={errorFor('name')}>
          <Input
            name="plan-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            maxLength={120}
          />
        </FormField>
        <SimpleGrid columns={{ base: 1, sm: 2 }} gap="4">
          {numberFields.map((field) => (
            <FormField
              key={field.name}
              label={field.label}
              required
              errorText={errorFor(field.name)}
            >
              <Input
                type="number"
                inputMode="numeric"
                min={field.min}
                max={field.max}
                step={1}
                value={numbers[field.name]}
                onChange={(event) =>
                  setNumbers((current) => ({ ...current, [field.name]: event.target.value }))
                }
              />
            </FormField>
          ))}
        </SimpleGrid>
        <Fieldset.Root invalid={Boolean(errorFor('models'))}>
          <Fieldset.Legend>Models</Fieldset.Legend>
          <Fieldset.HelperText>Only models with a price can be offered.</Fieldset.HelperText>
          <ErrorAlert error={prices.error} />
          {prices.isLoading && <Spinner size="sm" aria-label="Loading models" />}
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
          <Fieldset.ErrorText>{errorFor('models')}</Fieldset.ErrorText>
        </Fieldset.Root>
        <Checkbox.Root
          checked={allowOwnKey}
          onCheckedChange={(details) => setAllowOwnKey(details.checked === true)}
        >
          <Checkbox.HiddenInput />
          <Checkbox.Control />
          <Checkbox.Label>Tenants may use their own OpenAI key</Checkbox.Label>
        </Checkbox.Root>
        {allowOwnKey && (
          <FormField
            label="When the tenant's own key fails"
            helperText="Fall back to the platform key, or refuse the call."
          >
            <NativeSelect.Root>
              <NativeSelect.Field
                name="own-key-fallback"
                value={ownKeyFallback}
                onChange={(event) =>
                  setOwnKeyFallback(event.currentTarget.value as 'platform' | 'refuse')
                }
              >
                <option value="platform">Use the platform key</option>
                <option value="refuse">Refuse the call</option>
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </FormField>
        )}
        <Button type="submit" loading={submit.isPending} loadingText="Saving…" alignSelf="end">
          {plan ? 'Save plan' : 'Create plan'}
        </Button>
      </Stack>
    </form>
  );
}
