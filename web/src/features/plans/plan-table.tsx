import { HStack, Table, VisuallyHidden } from '@chakra-ui/react';
import { ConfirmButton } from '../../components/ui/confirm-button';
import { EmptyState } from '../../components/ui/empty-state';
import { toaster } from '../../components/ui/toaster';
import type { Plan } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatCredits } from '../../lib/format';
import { PlanDialog } from './plan-dialog';

export interface PlanTableProps {
  plans: Plan[];
  /** Adds Edit and Delete buttons to each row. */
  onSaved?: (plan: Plan) => void;
  onDeleted?: (planId: string) => void;
}

/** Lists the platform's plans with their limits and models. */
export function PlanTable({ plans, onSaved, onDeleted }: PlanTableProps) {
  if (plans.length === 0) {
    return (
      <EmptyState
        title="No plans yet"
        description="Create a plan before adding tenants: it sets their models and limits."
      />
    );
  }
  return (
    <Table.ScrollArea>
      <Table.Root size="sm" aria-label="Plans">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Plan</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Monthly credits</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Seats</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Max tokens</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Tenants</Table.ColumnHeader>
            <Table.ColumnHeader>Models</Table.ColumnHeader>
            {onSaved && (
              <Table.ColumnHeader>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.ColumnHeader>
            )}
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {plans.map((plan) => (
            <Table.Row key={plan.planId}>
              <Table.Cell fontWeight="medium">{plan.name}</Table.Cell>
              <Table.Cell textAlign="end">{formatCredits(plan.monthlyCredits)}</Table.Cell>
              <Table.Cell textAlign="end">{plan.seatLimit}</Table.Cell>
              <Table.Cell textAlign="end">{formatCredits(plan.maxTokensPerRequest)}</Table.Cell>
              <Table.Cell textAlign="end">{plan.tenantCount ?? '—'}</Table.Cell>
              <Table.Cell color="fg.muted">{plan.models.join(', ')}</Table.Cell>
              {onSaved && (
                <Table.Cell>
                  <HStack gap="2" justify="end">
                    <PlanDialog plan={plan} onSaved={onSaved} />
                    <DeletePlanButton plan={plan} onDeleted={onDeleted} />
                  </HStack>
                </Table.Cell>
              )}
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}

function DeletePlanButton(props: { plan: Plan; onDeleted?: (planId: string) => void }) {
  const { plan } = props;
  const api = useApi();
  return (
    <ConfirmButton
      label="Delete"
      ariaLabel={`Delete plan ${plan.name}`}
      title={`Delete plan ${plan.name}?`}
      confirmLabel="Delete plan"
      isDestructive
      onConfirm={async () => {
        await api.deletePlan(plan.planId);
        toaster.create({ type: 'success', title: `Plan ${plan.name} deleted` });
        props.onDeleted?.(plan.planId);
      }}
    >
      New tenants can no longer choose it. A plan that tenants still use cannot be deleted.
    </ConfirmButton>
  );
}
