import { NativeSelect } from '@chakra-ui/react';
import { FormField } from '../../components/ui/form-field';
import type { Plan } from '../../lib/api-client';

export interface PlanSelectFieldProps {
  plans: Plan[];
  value: string;
  onChange: (planId: string) => void;
  errorText?: string;
}

/** Renders the "Plan" picker of the tenant forms. Without plans it is disabled. */
export function PlanSelectField({ plans, value, onChange, errorText }: PlanSelectFieldProps) {
  return (
    <FormField
      label="Plan"
      required
      errorText={errorText}
      helperText={plans.length === 0 ? 'Create a plan first.' : undefined}
    >
      <NativeSelect.Root disabled={plans.length === 0}>
        <NativeSelect.Field
          name="plan"
          value={value}
          onChange={(event) => onChange(event.currentTarget.value)}
        >
          {plans.map((plan) => (
            <option key={plan.planId} value={plan.planId}>
              {plan.name}
            </option>
          ))}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
    </FormField>
  );
}
