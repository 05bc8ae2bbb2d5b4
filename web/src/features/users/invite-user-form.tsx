import { Button, Flex, Input, NativeSelect, Stack } from '@chakra-ui/react';
import { type TenantRole, tenantRoles } from '@creditgate/shared';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import type { TenantUser } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { formatRole } from '../../lib/format';
import { useSubmit } from '../../lib/use-request';
import { normalizeEmail } from '../auth/cognito-client';

export interface InviteUserFormProps {
  tenantId: string;
  onInvited: (user: TenantUser) => void;
}

/** Invites a person to the tenant by email. Cognito sends them a temporary password. */
export function InviteUserForm({ tenantId, onInvited }: InviteUserFormProps) {
  const api = useApi();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TenantRole>('User');
  const submit = useSubmit(async () => {
    const user = await api.inviteUser(tenantId, { email: normalizeEmail(email), role });
    setEmail('');
    onInvited(user);
  });

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run();
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <Flex gap="4" direction={{ base: 'column', md: 'row' }} align={{ md: 'end' }}>
          <FormField label="Email" required errorText={submit.error?.messageFor('email')}>
            <Input
              type="email"
              name="invite-email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </FormField>
          <FormField label="Role" required>
            <NativeSelect.Root>
              <NativeSelect.Field
                name="invite-role"
                value={role}
                onChange={(event) => setRole(event.currentTarget.value as TenantRole)}
              >
                {tenantRoles.map((option) => (
                  <option key={option} value={option}>
                    {formatRole(option)}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </FormField>
          <Button type="submit" loading={submit.isPending} loadingText="Inviting…" flexShrink="0">
            Send invitation
          </Button>
        </Flex>
      </Stack>
    </form>
  );
}
