import { Table, Text } from '@chakra-ui/react';
import { StatusBadge } from '../../components/ui/status-badge';
import type { TenantUser } from '../../lib/api-client';
import { formatCredits, formatRole } from '../../lib/format';
import { MoveCreditsDialog, type MoveCreditsDialogProps } from './move-credits-dialog';

export interface UserTableProps {
  tenantId: string;
  users: TenantUser[];
  poolBalance: number | undefined;
  onMoved: MoveCreditsDialogProps['onMoved'];
}

/** Lists the tenant's users with their role, status and credits. */
export function UserTable({ tenantId, users, poolBalance, onMoved }: UserTableProps) {
  if (users.length === 0) {
    return <Text color="fg.muted">No users yet. Invite the first one below.</Text>;
  }
  return (
    <Table.ScrollArea>
      <Table.Root size="sm" aria-label="Users">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Email</Table.ColumnHeader>
            <Table.ColumnHeader>Role</Table.ColumnHeader>
            <Table.ColumnHeader>Status</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Balance</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Spent</Table.ColumnHeader>
            <Table.ColumnHeader />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {users.map((user) => (
            <Table.Row key={user.userId}>
              <Table.Cell fontWeight="medium">{user.email}</Table.Cell>
              <Table.Cell>{formatRole(user.role)}</Table.Cell>
              <Table.Cell>
                <StatusBadge status={user.status} />
              </Table.Cell>
              <Table.Cell textAlign="end">{formatCredits(user.balance)}</Table.Cell>
              <Table.Cell textAlign="end">{formatCredits(user.spent)}</Table.Cell>
              <Table.Cell textAlign="end">
                {user.status !== 'DELETED' && (
                  <MoveCreditsDialog
                    tenantId={tenantId}
                    user={user}
                    poolBalance={poolBalance}
                    onMoved={onMoved}
                  />
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
