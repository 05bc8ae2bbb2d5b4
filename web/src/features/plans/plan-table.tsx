import { Table, Text } from '@chakra-ui/react';
import type { Plan } from '../../lib/api-client';
import { formatCredits } from '../../lib/format';

export interface PlanTableProps {
  plans: Plan[];
}

/** Lists the platform's plans with their limits and models. */
export function PlanTable({ plans }: PlanTableProps) {
  if (plans.length === 0) {
    return <Text color="fg.muted">No plans yet. Create one before adding tenants.</Text>;
  }
  return (
    <Table.ScrollArea>
      <Table.Root size="sm">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Plan</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Monthly credits</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Seats</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Max tokens</Table.ColumnHeader>
            <Table.ColumnHeader>Models</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {plans.map((plan) => (
            <Table.Row key={plan.planId}>
              <Table.Cell fontWeight="medium">{plan.name}</Table.Cell>
              <Table.Cell textAlign="end">{formatCredits(plan.monthlyCredits)}</Table.Cell>
              <Table.Cell textAlign="end">{plan.seatLimit}</Table.Cell>
              <Table.Cell textAlign="end">{formatCredits(plan.maxTokensPerRequest)}</Table.Cell>
              <Table.Cell color="fg.muted">{plan.models.join(', ')}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
