import { Button, Input, Stack } from '@chakra-ui/react';
import type { CreateTenantInput } from '@creditgate/shared';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import type { CreatedTenant, Plan } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { INVALID_CREDIT_AMOUNT_MESSAGE, parseCreditAmount } from '../../lib/format';
import { useSubmit } from '../../lib/use-request';
import { normalizeEmail } from '../auth/cognito-client';
import { PlanSelectField } from './plan-select-field';

export interface CreateTenantFormProps {
  plans: Plan[];
  onCreated: (tenant: CreatedTenant) => void;
}

/** A light check of an email's shape; the API checks it fully. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Creates a tenant on a plan and invites its first TenantAdmin. */
export function CreateTenantForm({ plans, onCreated }: CreateTenantFormProps) {
  const api = useApi();
  const [name, setName] = useState('');
  const [planId, setPlanId] = useState('');
  const [adminEmail, setAdminEmail] = useState('');
  const [creditLimit, setCreditLimit] = useState('1000000');
  const [isLimitInvalid, setLimitInvalid] = useState(false);
  const [problems, setProblems] = useState<{ name?: string; adminEmail?: string }>({});
  const submit = useSubmit(async (input: CreateTenantInput) => {
    const tenant = await api.createTenant(input);
    setName('');
    setAdminEmail('');
    onCreated(tenant);
  });

  const selectedPlanId = planId || plans[0]?.planId || '';
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const limit = parseCreditAmount(creditLimit);
    const found = {
      name: name.trim() === '' ? 'Enter a name.' : undefined,
      adminEmail: EMAIL_PATTERN.test(adminEmail.trim()) ? undefined : 'Enter an email address.',
    };
    setLimitInvalid(limit === undefined);
    setProblems(found);
    if (limit === undefined || found.name || found.adminEmail) return;
    void submit.run({
      name: name.trim(),
      planId: selectedPlanId,
      adminEmail: normalizeEmail(adminEmail),
      creditLimit: limit,
    });
  };

  const errorFor = (field: 'name' | 'planId' | 'adminEmail' | 'creditLimit') =>
    (field === 'name' || field === 'adminEmail' ? problems[field] : undefined) ??
    submit.error?.messageFor(field);
  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <FormField label="Tenant name" required errorText={errorFor('name')}>
          <Input value={name} onChange={(event) => setName(event.target.value)} maxLength={120} />
        </FormField>
        <PlanSelectField
          plans={plans}
          value={selectedPlanId}
          onChange={setPlanId}
          errorText={errorFor('planId')}
        />
        <FormField
          label="Admin email"
          required
          errorText={errorFor('adminEmail')}
          helperText="We send this person an invitation to administer the tenant."
        >
          <Input
            type="email"
            value={adminEmail}
            onChange={(event) => setAdminEmail(event.target.value)}
          />
        </FormField>
        <FormField
          label="Credit limit"
          required
          errorText={isLimitInvalid ? INVALID_CREDIT_AMOUNT_MESSAGE : errorFor('creditLimit')}
          helperText="The most unspent credits the tenant may hold."
        >
          <Input
            inputMode="numeric"
            value={creditLimit}
            onChange={(event) => setCreditLimit(event.target.value)}
          />
        </FormField>
        <Button
          type="submit"
          loading={submit.isPending}
          loadingText="Creating…"
          disabled={plans.length === 0}
        >
          Create tenant
        </Button>
      </Stack>
    </form>
  );
}
