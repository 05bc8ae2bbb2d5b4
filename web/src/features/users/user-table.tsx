import { HStack, Table, Text } from '@chakra-ui/react';
import { StatusBadge } from '../../components/ui/status-badge';
import type { TenantUser } from '../../lib/api-client';
import { formatCredits, formatDateTime, formatRole } from '../../lib/format';
import { sortByEmail } from './member-order';
import { MoveCreditsDialog, type MoveCreditsDialogProps } from './move-credits-dialog';
import { UserActionsMenu, type UserActionsMenuProps } from './user-actions-menu';

export interface UserTableProps {
  tenantId: string;
  users: TenantUser[];
  /** The signed-in admin, whose own row needs confirmation before taking away their access. */
  currentUserId: string;
  poolBalance: number | undefined;
  onMoved: MoveCreditsDialogProps['onMoved'];
  onUpdated: UserActionsMenuProps['onUpdated'];
  onDeleted: UserActionsMenuProps['onDeleted'];
  onActionError: UserActionsMenuProps['onError'];
}

/**
 * Lists the tenant's users in email order with their role, status, invitation time and
 * credits, each with a "Credits" button and an "Actions" menu.
 */
export function UserTable(props: UserTableProps) {
  const { tenantId, users } = props;
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
            <Table.ColumnHeader>Invitation sent</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Balance</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Spent</Table.ColumnHeader>
            <Table.ColumnHeader>Last activity</Table.ColumnHeader>
            <Table.ColumnHeader />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {sortByEmail(users).map((user) => (
            <Table.Row key={user.userId}>
              <Table.Cell fontWeight="medium">
                {user.email}
                {user.userId === props.currentUserId && (
                  <Text as="span" color="fg.muted" fontWeight="normal">
                    {' '}
                    (you)
                  </Text>
                )}
              </Table.Cell>
              <Table.Cell>{formatRole(user.role)}</Table.Cell>
              <Table.Cell>
                <StatusBadge status={user.status} />
              </Table.Cell>
              <Table.Cell whiteSpace="nowrap">
                {user.invitedAt ? (
                  <time dateTime={user.invitedAt}>{formatDateTime(user.invitedAt)}</time>
                ) : (
                  '—'
                )}
              </Table.Cell>
              <Table.Cell textAlign="end">{formatCredits(user.balance)}</Table.Cell>
              <Table.Cell textAlign="end">{formatCredits(user.spent)}</Table.Cell>
              <Table.Cell whiteSpace="nowrap">
                <LastActivity at={latestOf(user.lastActiveAt, user.activatedAt)} />
              </Table.Cell>
              <Table.Cell>
                {user.status !== 'DELETED' && (
                  <HStack gap="2" justify="end">
                    <MoveCreditsDialog
                      tenantId={tenantId}
                      user={user}
                      poolBalance={props.poolBalance}
                      onMoved={props.onMoved}
                    />
                    <UserActionsMenu
                      tenantId={tenantId}
                      user={user}
                      isSelf={user.userId === props.currentUserId}
                      onUpdated={props.onUpdated}
                      onDeleted={props.onDeleted}
                      onError={props.onActionError}
                    />
                  </HStack>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}

/** Returns the later of two ISO 8601 times, or null when both are missing. */
function latestOf(first: string | null, second: string | null): string | null {
  if (!first) return second;
  if (!second) return first;
  return first > second ? first : second;
}

function LastActivity({ at }: { at: string | null }) {
  return at ? <time dateTime={at}>{formatDateTime(at)}</time> : <>—</>;
}
