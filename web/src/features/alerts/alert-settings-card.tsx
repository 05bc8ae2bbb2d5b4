import { Button, Input, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { LoadingRows } from '../../components/ui/loading-rows';
import { SectionCard } from '../../components/ui/section-card';
import { toaster } from '../../components/ui/toaster';
import { useApi } from '../../lib/api-context';
import { formatCredits, formatDateTime } from '../../lib/format';
import { useLoad, useSubmit } from '../../lib/use-request';

export interface AlertSettingsCardProps {
  tenantId: string;
}

/** The largest threshold the API accepts, 10^12 credits. */
const MAX_THRESHOLD = 1_000_000_000_000;

/**
 * Returns the threshold typed into a field: null for an empty field (the alert is off), the
 * number for a whole number from 0 to 10^12, or undefined when the text is neither.
 */
export function parseThreshold(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= MAX_THRESHOLD ? value : undefined;
}

const fields = [
  {
    name: 'poolThreshold',
    label: 'Pool below',
    helperText: 'Emails your admins when the pool falls below this many credits.',
  },
  {
    name: 'userThreshold',
    label: 'Any user below',
    helperText: "Emails your admins when a user's balance falls below this many credits.",
  },
] as const;

type ThresholdName = (typeof fields)[number]['name'];

/**
 * Edits the tenant's low-balance alerts. An empty field turns that alert off; each alert
 * emails the tenant's admins at most once per threshold per month.
 */
export function AlertSettingsCard({ tenantId }: AlertSettingsCardProps) {
  const api = useApi();
  const alerts = useLoad(() => api.getAlerts(tenantId), `alerts|${tenantId}`);
  const [values, setValues] = useState<Record<ThresholdName, string>>({
    poolThreshold: '',
    userThreshold: '',
  });
  const [invalid, setInvalid] = useState<Partial<Record<ThresholdName, boolean>>>({});
  const save = useSubmit(
    async (input: { poolThreshold: number | null; userThreshold: number | null }) => {
      const saved = await api.updateAlerts(tenantId, input);
      alerts.setData(() => saved);
      toaster.create({ type: 'success', title: 'Alert settings saved' });
    },
  );

  useEffect(() => {
    if (!alerts.data) return;
    setValues({
      poolThreshold: alerts.data.poolThreshold === null ? '' : String(alerts.data.poolThreshold),
      userThreshold: alerts.data.userThreshold === null ? '' : String(alerts.data.userThreshold),
    });
  }, [alerts.data]);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const poolThreshold = parseThreshold(values.poolThreshold);
    const userThreshold = parseThreshold(values.userThreshold);
    setInvalid({
      poolThreshold: poolThreshold === undefined,
      userThreshold: userThreshold === undefined,
    });
    if (poolThreshold === undefined || userThreshold === undefined) return;
    void save.run({ poolThreshold, userThreshold });
  };

  return (
    <SectionCard
      title="Low-balance alerts"
      description="Leave a field empty to turn that alert off."
    >
      {!alerts.data ? (
        <Stack gap="4">
          <ErrorAlert error={alerts.error} />
          {alerts.isLoading && <LoadingRows label="Loading alert settings" rows={2} />}
        </Stack>
      ) : (
        <form onSubmit={handleSubmit} noValidate>
          <Stack gap="4">
            <ErrorAlert error={save.error} />
            <SimpleGrid columns={{ base: 1, md: 2 }} gap="4">
              {fields.map((field) => (
                <FormField
                  key={field.name}
                  label={field.label}
                  helperText={field.helperText}
                  errorText={
                    invalid[field.name]
                      ? `Enter a whole number of credits from 0 to ${formatCredits(MAX_THRESHOLD)}, or leave it empty.`
                      : save.error?.messageFor(field.name)
                  }
                >
                  <Input
                    name={field.name}
                    inputMode="numeric"
                    placeholder="Off"
                    value={values[field.name]}
                    onChange={(event) =>
                      setValues((current) => ({ ...current, [field.name]: event.target.value }))
                    }
                  />
                </FormField>
              ))}
            </SimpleGrid>
            <Text textStyle="sm" color="fg.muted">
              {alerts.data.updatedAt
                ? `Last changed ${formatDateTime(alerts.data.updatedAt)}.`
                : 'Never changed.'}
            </Text>
            <Button type="submit" alignSelf="start" loading={save.isPending} loadingText="Saving…">
              Save alerts
            </Button>
          </Stack>
        </form>
      )}
    </SectionCard>
  );
}
