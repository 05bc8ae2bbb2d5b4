import { Button, CloseButton, Dialog, Portal, Stack, Table, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { ConfirmButton } from '../../components/ui/confirm-button';
import { ErrorAlert } from '../../components/ui/error-alert';
import { LoadMoreButton } from '../../components/ui/load-more-button';
import { LoadingRows } from '../../components/ui/loading-rows';
import { StatusBadge } from '../../components/ui/status-badge';
import { toaster } from '../../components/ui/toaster';
import type { Tenant, TenantUser } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { type ApiError, toApiError } from '../../lib/api-error';
import { formatRole } from '../../lib/format';
import { usePagedList } from '../../lib/use-paged-list';
import { useSubmit } from '../../lib/use-request';
import { sortByEmail } from '../users/member-order';
import { ResetMfaWarning } from '../users/reset-mfa-warning';
import { availableUserActions } from '../users/user-actions';

export interface TenantMembersDialogProps {
  tenant: Tenant;
}

/**
 * Renders a "Members" button that lists a tenant's members for a SuperAdmin, who can reset a
 * member's two-step verification there, such as for a tenant whose only admin lost their
 * authenticator app, and send an invitation again. The tenant's admins manage everything
 * else on their own Users page.
 */
export function TenantMembersDialog({ tenant }: TenantMembersDialogProps) {
  const [isOpen, setOpen] = useState(false);
  return (
    <Dialog.Root
      open={isOpen}
      onOpenChange={(details) => setOpen(details.open)}
      size="lg"
      scrollBehavior="inside"
    >
      <Dialog.Trigger asChild>
        <Button size="xs" variant="outline" aria-label={`Members of ${tenant.name}`}>
          Members
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>Members of {tenant.name}</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
              {/* Mounted only while open, so the list loads when the dialog opens. */}
              {isOpen && <MemberList tenantId={tenant.tenantId} />}
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.ActionTrigger asChild>
                <Button variant="outline">Close</Button>
              </Dialog.ActionTrigger>
            </Dialog.Footer>
            <Dialog.CloseTrigger asChild>
              <CloseButton size="sm" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}

function MemberList({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const members = usePagedList((cursor) => api.listUsers(tenantId, cursor), tenantId);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  if (members.isLoading && members.items.length === 0) {
    return <LoadingRows label="Loading members" />;
  }
  return (
    <Stack gap="4">
      <ErrorAlert error={members.error} />
      <ErrorAlert error={actionError} title="The invitation was not sent" />
      {members.items.length === 0 && !members.error ? (
        <Text color="fg.muted">The tenant has no members.</Text>
      ) : (
        <Table.ScrollArea>
          <Table.Root size="sm" aria-label="Members">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeader>Email</Table.ColumnHeader>
                <Table.ColumnHeader>Role</Table.ColumnHeader>
                <Table.ColumnHeader>Status</Table.ColumnHeader>
                <Table.ColumnHeader />
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {sortByEmail(members.items).map((member) => (
                <Table.Row key={member.userId}>
                  <Table.Cell fontWeight="medium">{member.email}</Table.Cell>
                  <Table.Cell>{formatRole(member.role)}</Table.Cell>
                  <Table.Cell>
                    <StatusBadge status={member.status} />
                  </Table.Cell>
                  <Table.Cell textAlign="end">
                    <ResetMfaButton tenantId={tenantId} member={member} />
                    <ResendInvitationButton
                      tenantId={tenantId}
                      member={member}
                      onResent={(updated) =>
                        members.updateItems((items) =>
                          items.map((item) => (item.userId === updated.userId ? updated : item)),
                        )
                      }
                      onError={setActionError}
                    />
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      )}
      <LoadMoreButton list={members} />
    </Stack>
  );
}

/** Renders "Reset two-step verification" for members who have signed in, else nothing. */
function ResetMfaButton({ tenantId, member }: { tenantId: string; member: TenantUser }) {
  const api = useApi();
  if (!availableUserActions(member).includes('reset-mfa')) return null;

  const reset = async () => {
    await api.resetUserMfa(tenantId, member.userId);
    toaster.create({ type: 'success', title: `Two-step verification of ${member.email} reset` });
  };

  return (
    <ConfirmButton
      label="Reset two-step verification"
      ariaLabel={`Reset two-step verification of ${member.email}`}
      title="Reset two-step verification?"
      confirmLabel="Reset"
      isDestructive
      onConfirm={reset}
    >
      <ResetMfaWarning email={member.email} />
    </ConfirmButton>
  );
}

interface ResendInvitationButtonProps {
  tenantId: string;
  member: TenantUser;
  onResent: (member: TenantUser) => void;
  /** Receives a failed attempt's error, and null when the next attempt starts. */
  onError: (error: ApiError | null) => void;
}

/**
 * Renders "Resend invitation" for members who never signed in, such as a tenant's first
 * admin whose temporary password expired, else nothing.
 */
function ResendInvitationButton({
  tenantId,
  member,
  onResent,
  onError,
}: ResendInvitationButtonProps) {
  const api = useApi();
  const resend = useSubmit(async () => {
    onError(null);
    try {
      onResent(await api.resendInvitation(tenantId, member.userId));
      toaster.create({ type: 'success', title: `Invitation sent again to ${member.email}` });
    } catch (reason) {
      onError(toApiError(reason));
    }
  });
  if (!availableUserActions(member).includes('resend')) return null;

  return (
    <Button
      size="xs"
      variant="outline"
      aria-label={`Resend invitation to ${member.email}`}
      loading={resend.isPending}
      onClick={() => void resend.run()}
    >
      Resend invitation
    </Button>
  );
}
