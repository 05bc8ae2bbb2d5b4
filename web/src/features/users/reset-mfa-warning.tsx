import { Text } from '@chakra-ui/react';

/** Explains, before an admin confirms it, what resetting a member's authenticator app does. */
export function ResetMfaWarning({ email }: { email: string }) {
  return (
    <Text>
      {email} can then sign in with their password alone and add a new authenticator app on their
      Security page. Do this only once you know the request comes from them.
    </Text>
  );
}
