import { Button, Menu, Portal, Text } from '@chakra-ui/react';
import { type ReactNode, useState } from 'react';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { toaster } from '../../components/ui/toaster';
import type { ApiClient, TenantUser } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { type ApiError, toApiError } from '../../lib/api-error';
import { formatCreditCount, formatRole } from '../../lib/format';
import { ResetMfaWarning } from './reset-mfa-warning';
import {
  availableUserActions,
  destructiveUserActions,
  needsConfirmation,
  type UserAction,
  userActionLabels,
} from './user-actions';

export interface UserActionsMenuProps {
  tenantId: string;
  user: TenantUser;
  /** True on the signed-in admin's own row, where taking away access needs confirmation. */
  isSelf: boolean;
  onUpdated: (user: TenantUser) => void;
  onDeleted: (user: TenantUser) => void;
  /**
   * Receives the error of an action that ran without a dialog, and null when the next
   * action starts. Dialogs show their own errors.
   */
  onError: (error: ApiError | null, user: TenantUser) => void;
}

/**
 * Renders a member's "Actions" menu: resend or revoke the invitation, change the role, reset
 * two-step verification, disable or enable, delete. Removing a member and the reset need
 * confirmation in a dialog.
 */
export function UserActionsMenu(props: UserActionsMenuProps) {
  const { user, isSelf } = props;
  const api = useApi();
  const [pending, setPending] = useState<UserAction | null>(null);
  const [confirming, setConfirming] = useState<UserAction | null>(null);
  const [dialogError, setDialogError] = useState<ApiError | null>(null);
  const actions = availableUserActions(user);

  const run = async (action: UserAction, isConfirmed: boolean) => {
    if (pending) return;
    setPending(action);
    setDialogError(null);
    props.onError(null, user);
    try {
      await performUserAction({
        api,
        tenantId: props.tenantId,
        user,
        action,
        onUpdated: props.onUpdated,
        onDeleted: props.onDeleted,
      });
      setConfirming(null);
    } catch (reason) {
      const error = toApiError(reason);
      if (isConfirmed) setDialogError(error);
      else props.onError(error, user);
    } finally {
      setPending(null);
    }
  };

  const handleSelect = (action: UserAction) => {
    if (needsConfirmation(action, isSelf)) {
      setDialogError(null);
      setConfirming(action);
    } else {
      void run(action, false);
    }
  };

  if (actions.length === 0) return null;
  return (
    <>
      <Menu.Root onSelect={(details) => handleSelect(details.value as UserAction)}>
        <Menu.Trigger asChild>
          <Button
            size="xs"
            variant="outline"
            aria-label={`Actions for ${user.email}`}
            loading={pending !== null && confirming === null}
            disabled={pending !== null}
          >
            Actions
          </Button>
        </Menu.Trigger>
        <Portal>
          <Menu.Positioner>
            <Menu.Content minWidth="44">
              {actions.map((action) => (
                <Menu.Item
                  key={action}
                  value={action}
                  color={destructiveUserActions.has(action) ? 'fg.error' : undefined}
                  _hover={
                    destructiveUserActions.has(action)
                      ? { bg: 'bg.error', color: 'fg.error' }
                      : undefined
                  }
                >
                  {userActionLabels[action]}
                </Menu.Item>
              ))}
            </Menu.Content>
          </Menu.Positioner>
        </Portal>
      </Menu.Root>
      {confirming && (
        <ConfirmDialog
          isOpen
          title={confirmationTitle(confirming, isSelf)}
          confirmLabel={confirmationLabel(confirming, isSelf)}
          isDestructive
          isPending={pending !== null}
          error={dialogError}
          onConfirm={() => void run(confirming, true)}
          onCancel={() => setConfirming(null)}
        >
          {confirmationText(confirming, user)}
        </ConfirmDialog>
      )}
    </>
  );
}

interface PerformOptions {
  api: ApiClient;
  tenantId: string;
  user: TenantUser;
  action: UserAction;
  onUpdated: (user: TenantUser) => void;
  onDeleted: (user: TenantUser) => void;
}

/** Sends the action's request, then reports the result and confirms it with a toast. */
async function performUserAction(options: PerformOptions): Promise<void> {
  const { api, tenantId, user, action } = options;
  const { userId, email } = user;

  if (action === 'revoke' || action === 'delete') {
    await api.deleteUser(tenantId, userId);
    toaster.create({
      type: 'success',
      title: action === 'revoke' ? `Invitation to ${email} revoked` : `${email} deleted`,
      description:
        user.balance > 0 ? `${formatCreditCount(user.balance)} returned to the pool.` : undefined,
    });
    options.onDeleted(user);
    return;
  }

  let updated: TenantUser;
  let message: string;
  switch (action) {
    case 'resend':
      updated = await api.resendInvitation(tenantId, userId);
      message = `Invitation sent again to ${email}`;
      break;
    case 'make-admin':
    case 'make-user': {
      const role = action === 'make-admin' ? 'TenantAdmin' : 'User';
      updated = await api.updateUser(tenantId, userId, { role });
      message = `${email} is now a ${formatRole(role).toLowerCase()}`;
      break;
    }
    case 'disable':
      updated = await api.updateUser(tenantId, userId, { status: 'DISABLED' });
      message = `${email} disabled`;
      break;
    case 'enable':
      updated = await api.updateUser(tenantId, userId, { status: 'ACTIVE' });
      message = `${email} enabled`;
      break;
    case 'reset-mfa':
      await api.resetUserMfa(tenantId, userId);
      updated = user;
      message = `Two-step verification of ${email} reset`;
      break;
  }
  toaster.create({ type: 'success', title: message });
  options.onUpdated(updated);
}

function confirmationTitle(action: UserAction, isSelf: boolean): string {
  if (action === 'reset-mfa') return 'Reset two-step verification?';
  if (action === 'revoke') return 'Revoke invitation?';
  if (action === 'delete') return isSelf ? 'Delete your own account?' : 'Delete user?';
  if (action === 'disable') return 'Disable your own account?';
  return 'Give up your admin role?';
}

function confirmationLabel(action: UserAction, isSelf: boolean): string {
  if (action === 'reset-mfa') return 'Reset';
  if (action === 'revoke') return 'Revoke invitation';
  if (action === 'delete') return isSelf ? 'Delete my account' : 'Delete user';
  if (action === 'disable') return 'Disable my account';
  return 'Make me a user';
}

function confirmationText(action: UserAction, user: TenantUser): ReactNode {
  const credits = formatCreditCount(user.balance);
  switch (action) {
    case 'revoke':
      return (
        <Text>
          The temporary password sent to {user.email} stops working and the seat becomes free.
          {user.balance > 0 && ` Their ${credits} return to the pool.`}
        </Text>
      );
    case 'delete':
      return (
        <Text>
          {user.email} can no longer sign in or call the API, and the seat becomes free. Their
          unspent credits ({credits}) return to the pool. Their ledger entries are kept.
        </Text>
      );
    case 'reset-mfa':
      return <ResetMfaWarning email={user.email} />;
    case 'disable':
      return (
        <Text>
          You will be signed out and cannot sign in again until another tenant admin enables your
          account.
        </Text>
      );
    default:
      return (
        <Text>
          You lose access to the user and credit screens at once. Another tenant admin can give the
          role back.
        </Text>
      );
  }
}
