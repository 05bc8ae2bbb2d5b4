import { HStack, Table, VisuallyHidden } from '@chakra-ui/react';
import { EmptyState } from '../../components/ui/empty-state';
import { StatusBadge } from '../../components/ui/status-badge';
import type { Plan, Tenant } from '../../lib/api-client';
import { formatCredits } from '../../lib/format';
import { EditTenantDialog } from './edit-tenant-dialog';
import { GrantCreditsDialog } from './grant-credits-dialog';
import { TenantMembersDialog } from './tenant-members-dialog';
import { TenantStatusButton } from './tenant-status-button';

export interface TenantTableProps {
  tenants: Tenant[];
  plans: Plan[];
  /** True when a search hides every tenant, as opposed to there being none. */
  isFiltered: boolean;
  onGranted: (tenantId: string, poolBalance: number) => void;
  onSaved: (tenant: Tenant) => void;
}

/**
 * Lists tenants with their plan, status and pool, each with "Grant credits", "Edit",
 * "Members" and "Suspend" or "Reactivate".
 */
export function TenantTable({ tenants, plans, isFiltered, onGranted, onSaved }: TenantTableProps) {
  if (tenants.length === 0) {
    return isFiltered ? (
      <EmptyState title="No tenant matches" description="Search for another name or id." />
    ) : (
      <EmptyState title="No tenants yet" description="Create the first one with the form." />
    );
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
            <Table.ColumnHeader>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.ColumnHeader>
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
              <Table.Cell>
                <HStack gap="2" justify="end" wrap="wrap">
                  <GrantCreditsDialog tenant={tenant} onGranted={onGranted} />
                  <EditTenantDialog tenant={tenant} plans={plans} onSaved={onSaved} />
                  <TenantMembersDialog tenant={tenant} />
                  <TenantStatusButton tenant={tenant} onSaved={onSaved} />
                </HStack>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
