import { Badge, Button, Spinner, Stack, Text } from '@chakra-ui/react';
import { useRef, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { toaster } from '../../components/ui/toaster';
import { useLoad, useSubmit } from '../../lib/use-request';
import { useAuth, useMe } from '../auth/use-auth';
import { AuthenticatorSetup } from './authenticator-setup';
import { TurnOffDialog } from './turn-off-dialog';

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
  // Takes the focus after a change, because the control that had it is gone.
  const sectionRef = useRef<HTMLDivElement>(null);

  const confirmSetup = async (code: string) => {
    await mfa.confirmSetup(code);
    setSetupSecret(null);
    status.setData(() => ({ isEnabled: true }));
    sectionRef.current?.focus();
    toaster.create({ type: 'success', title: 'Two-step verification is on' });
  };

  const disable = async (input: { password: string; code: string }) => {
    await mfa.disable(input);
    status.setData(() => ({ isEnabled: false }));
    sectionRef.current?.focus();
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
    if (isEnabled) return <TurnOffDialog onTurnOff={disable} />;
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
        <Stack ref={sectionRef} tabIndex={-1} outline="none" gap="4" align="start">
          <ErrorAlert error={status.error ?? start.error} />
          {status.isLoading && !status.data && <Spinner aria-label="Loading" />}
          {renderAction()}
        </Stack>
      </SectionCard>
    </Stack>
  );
}
