import { Table, Text } from '@chakra-ui/react';
import { StatusBadge } from '../../components/ui/status-badge';
import type { Plan, Tenant } from '../../lib/api-client';
import { formatCredits } from '../../lib/format';
import { GrantCreditsDialog } from './grant-credits-dialog';

export interface TenantTableProps {
  tenants: Tenant[];
  plans: Plan[];
  onGranted: (tenantId: string, poolBalance: number) => void;
}

/** Lists tenants with their plan, status and pool, each with a "Grant credits" action. */
export function TenantTable({ tenants, plans, onGranted }: TenantTableProps) {
  if (tenants.length === 0) {
    return <Text color="fg.muted">No tenants yet.</Text>;
  }
  const planNames = new Map(plans.map((plan) => [plan.planId, plan.name]));
  return (
    <Table.ScrollArea>
      <Table.Root size="sm" aria-label="Tenants">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Tenant</Table.ColumnHeader>
            <Table.ColumnHeader>Plan</Table.ColumnHeader>
            <Table.ColumnHeader>Status</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Seats used</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Pool</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Credit limit</Table.ColumnHeader>
            <Table.ColumnHeader />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {tenants.map((tenant) => (
            <Table.Row key={tenant.tenantId}>
              <Table.Cell fontWeight="medium">{tenant.name}</Table.Cell>
              <Table.Cell>{planNames.get(tenant.planId) ?? tenant.planId}</Table.Cell>
              <Table.Cell>
                <StatusBadge status={tenant.status} />
              </Table.Cell>
              <Table.Cell textAlign="end">{tenant.seatsUsed}</Table.Cell>
              <Table.Cell textAlign="end">{formatCredits(tenant.poolBalance)}</Table.Cell>
              <Table.Cell textAlign="end">{formatCredits(tenant.creditLimit)}</Table.Cell>
              <Table.Cell textAlign="end">
                <GrantCreditsDialog tenant={tenant} onGranted={onGranted} />
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
