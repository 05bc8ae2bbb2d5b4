import { Stack } from '@chakra-ui/react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import type { Plan } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { loadAllPages } from '../../lib/use-paged-list';
import { useLoad } from '../../lib/use-request';
import { PlanDialog } from './plan-dialog';
import { PlanTable } from './plan-table';

/** Renders the SuperAdmin's plans: list, create, edit and delete. */
export function PlansPage() {
  const api = useApi();
  const plans = useLoad(() => loadAllPages((cursor) => api.listPlans(cursor)), 'plans');

  const handleCreated = (plan: Plan) => plans.setData((current) => [plan, ...(current ?? [])]);
  const handleSaved = (saved: Plan) =>
    plans.setData((current) =>
      current?.map((plan) => (plan.planId === saved.planId ? { ...plan, ...saved } : plan)),
    );
  const handleDeleted = (planId: string) =>
    plans.setData((current) => current?.filter((plan) => plan.planId !== planId));

  return (
    <Stack gap="6">
      <PageHeader
        title="Plans"
        description="Each tenant is on one plan, which sets its models, seats and limits."
      />
      <SectionCard title="All plans" actions={<PlanDialog onSaved={handleCreated} />}>
        <Stack gap="4">
          <ErrorAlert error={plans.error} />
          {plans.isLoading && !plans.data ? (
            <LoadingRows label="Loading plans" />
          ) : (
            plans.data && (
              <PlanTable plans={plans.data} onSaved={handleSaved} onDeleted={handleDeleted} />
            )
          )}
        </Stack>
      </SectionCard>
    </Stack>
  );
}
