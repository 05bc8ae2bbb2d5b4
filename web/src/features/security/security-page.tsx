import { Badge, Button, Spinner, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { ConfirmButton } from '../../components/ui/confirm-button';
import { ErrorAlert } from '../../components/ui/error-alert';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { toaster } from '../../components/ui/toaster';
import { useLoad, useSubmit } from '../../lib/use-request';
import { useAuth, useMe } from '../auth/use-auth';
import { AuthenticatorSetup } from './authenticator-setup';

/**
 * Renders the caller's sign-in security: turning two-step verification with an
 * authenticator app (TOTP) on and off. Every role has this page.
 */
export function SecurityPage() {
  const me = useMe();
  const { mfa } = useAuth();
  const status = useLoad(mfa.getStatus, 'mfa-status');
  const [setupSecret, setSetupSecret] = useState<string | null>(null);
  const start = useSubmit(async () => setSetupSecret((await mfa.startSetup()).secret));
  const isEnabled = status.data?.isEnabled === true;

  const confirmSetup = async (code: string) => {
    await mfa.confirmSetup(code);
    setSetupSecret(null);
    status.setData(() => ({ isEnabled: true }));
    toaster.create({ type: 'success', title: 'Two-step verification is on' });
  };

  const disable = async () => {
    await mfa.disable();
    status.setData(() => ({ isEnabled: false }));
    toaster.create({ type: 'success', title: 'Two-step verification is off' });
  };

  const renderAction = () => {
    if (setupSecret) {
      return (
        <AuthenticatorSetup
          secret={setupSecret}
          email={me.email}
          onConfirm={confirmSetup}
          onCancel={() => setSetupSecret(null)}
        />
      );
    }
    if (!status.data) return null;
    if (isEnabled) {
      return (
        <ConfirmButton
          label="Turn off"
          size="sm"
          title="Turn off two-step verification?"
          confirmLabel="Turn off"
          isDestructive
          onConfirm={disable}
        >
          Sign-in then requires your password only. You can set up an app again at any time.
        </ConfirmButton>
      );
    }
    return (
      <Stack gap="3" align="start">
        <Text textStyle="sm">
          Two-step verification keeps your account safe if your password leaks.
        </Text>
        <Button size="sm" loading={start.isPending} onClick={() => void start.run()}>
          Set up authenticator app
        </Button>
      </Stack>
    );
  };

  return (
    <Stack gap="6">
      <PageHeader title="Security" description={`How ${me.email} signs in to Creditgate.`} />
      <SectionCard
        title="Two-step verification"
        description="After your password, sign-in requires a code from an authenticator app on your phone."
        actions={
          status.data && (
            <Badge colorPalette={isEnabled ? 'green' : 'gray'} variant="subtle">
              {isEnabled ? 'On' : 'Off'}
            </Badge>
          )
        }
      >
        <Stack gap="4" align="start">
          <ErrorAlert error={status.error ?? start.error} />
          {status.isLoading && !status.data && <Spinner aria-label="Loading" />}
          {renderAction()}
        </Stack>
      </SectionCard>
    </Stack>
  );
}
