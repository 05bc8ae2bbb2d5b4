import { Button, Code, HStack, List, QrCode, Stack, Text } from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { CopyButton } from '../../components/ui/copy-button';
import { ErrorAlert } from '../../components/ui/error-alert';
import { useSubmit } from '../../lib/use-request';
import { MfaCodeField } from '../auth/mfa-code-field';

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
  const [code, setCode] = useState('');
  const submit = useSubmit(onConfirm);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run(code);
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4" maxWidth="md">
        <List.Root as="ol" gap="1" textStyle="sm" paddingStart="5">
          <List.Item>
            Open an authenticator app, such as Google Authenticator, Microsoft Authenticator or
            1Password, and add an account.
          </List.Item>
          <List.Item>Scan the QR code, or enter the secret key below it.</List.Item>
          <List.Item>Enter the 6-digit code that the app then shows.</List.Item>
        </List.Root>
        {/* Dark on white in both colour modes, as scanners expect. */}
        <QrCode.Root
          value={authenticatorUri(secret, email)}
          size="xl"
          aria-label="QR code"
          color="black"
          bg="white"
          padding="2"
          borderRadius="md"
        >
          <QrCode.Frame>
            <QrCode.Pattern />
          </QrCode.Frame>
        </QrCode.Root>
        <Stack gap="1">
          <Text textStyle="sm" color="fg.muted">
            Secret key
          </Text>
          <HStack gap="2" wrap="wrap">
            <Code wordBreak="break-all" aria-label="Secret key">
              {groupInFours(secret)}
            </Code>
            <CopyButton value={secret} itemName="secret key" />
          </HStack>
        </Stack>
        <ErrorAlert error={submit.error} />
        <MfaCodeField value={code} onChange={setCode} />
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
