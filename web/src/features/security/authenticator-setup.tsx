import { Button, HStack, Input, List, QrCode, Stack, Text } from '@chakra-ui/react';
import { CopyButton } from '../../components/ui/copy-button';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { MfaCodeField } from '../auth/mfa-code-field';
import { useMfaCodeSubmit } from '../auth/use-mfa-code';

/** The issuer that authenticator apps show above the code. */
const ISSUER = 'Creditgate';

/**
 * Returns the `otpauth://` URI that authenticator apps read from a QR code, in the key URI
 * format that Google Authenticator defined and other apps follow.
 */
export function authenticatorUri(secret: string, accountName: string): string {
  const label = `${encodeURIComponent(ISSUER)}:${encodeURIComponent(accountName)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(ISSUER)}`;
}

/** Splits a secret into groups of four characters, so it is easier to type. */
function groupInFours(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

export interface AuthenticatorSetupProps {
  secret: string;
  email: string;
  onConfirm: (code: string) => Promise<void>;
  onCancel: () => void;
}

/** Shows a new secret as a QR code and as text, then checks a first code from the app. */
export function AuthenticatorSetup({
  secret,
  email,
  onConfirm,
  onCancel,
}: AuthenticatorSetupProps) {
  const { submit, handleSubmit, fieldProps } = useMfaCodeSubmit(onConfirm);

  return (
    <form onSubmit={(event) => void handleSubmit(event)} noValidate>
      <Stack gap="4" maxWidth="md">
        <List.Root as="ol" gap="1" textStyle="sm" paddingStart="5">
          <List.Item>
            Open an authenticator app, such as Google Authenticator, Microsoft Authenticator or
            1Password, and add an account.
          </List.Item>
          <List.Item>Scan the QR code, or enter the secret key below it.</List.Item>
          <List.Item>Enter the 6-digit code that the app then shows.</List.Item>
        </List.Root>
        <Text textStyle="sm" color="fg.muted">
          Each setup creates a new key, so remove any older Creditgate entry from your app.
        </Text>
        {/* Dark on white in both colour modes, as scanners expect. */}
        <QrCode.Root
          value={authenticatorUri(secret, email)}
          size="xl"
          role="img"
          aria-label="QR code for your authenticator app"
          color="black"
          bg="white"
          padding="2"
          borderRadius="md"
        >
          <QrCode.Frame aria-hidden>
            <QrCode.Pattern />
          </QrCode.Frame>
        </QrCode.Root>
        <FormField label="Secret key">
          <HStack gap="2" width="full">
            <Input readOnly value={groupInFours(secret)} fontFamily="mono" flex="1" />
            <CopyButton value={secret} itemName="secret key" />
          </HStack>
        </FormField>
        <ErrorAlert error={submit.error} />
        <MfaCodeField {...fieldProps} />
        <HStack gap="2">
          <Button type="submit" loading={submit.isPending} loadingText="Checking…">
            Verify and turn on
          </Button>
          <Button variant="ghost" onClick={onCancel} disabled={submit.isPending}>
            Cancel
          </Button>
        </HStack>
      </Stack>
    </form>
  );
}
