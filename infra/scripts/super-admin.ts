import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { PLATFORM_TENANT_ID, ROLE_CLAIM, TENANT_ID_CLAIM } from '@creditgate/shared';
import { keys } from '../../functions/src/lib/db/keys';
import type { UserRecord } from '../../functions/src/users/user.model';

/**
 * Returns the Cognito attributes of a SuperAdmin: the verified email, the reserved platform tenant
 * and the SuperAdmin role. The local bootstrap and the deployed pool's setup script both use
 * them.
 */
export function superAdminAttributes(email: string): AttributeType[] {
  return [
    { Name: 'email', Value: email },
    { Name: 'email_verified', Value: 'true' },
    { Name: TENANT_ID_CLAIM, Value: PLATFORM_TENANT_ID },
    { Name: ROLE_CLAIM, Value: 'SuperAdmin' },
  ];
}

/**
 * Builds the table items of a SuperAdmin: the user record under the platform tenant and the claim
 * on the email, which keeps the email from being invited into a tenant.
 */
export function superAdminItems(input: {
  email: string;
  userId: string;
  status: 'INVITED' | 'ACTIVE';
  now: string;
}): { user: Record<string, unknown>; emailClaim: Record<string, unknown> } {
  const user: UserRecord = {
    tenantId: PLATFORM_TENANT_ID,
    userId: input.userId,
    email: input.email,
    role: 'SuperAdmin',
    status: input.status,
    tenantStatus: 'ACTIVE',
    balance: 0,
    held: 0,
    spent: 0,
    createdAt: input.now,
    ...(input.status === 'INVITED' && { invitedAt: input.now }),
  };
  return {
    user: { ...keys.user(user.tenantId, user.userId), entityType: 'User', ...user },
    emailClaim: {
      ...keys.emailClaim(user.email),
      entityType: 'EmailClaim',
      email: user.email,
      tenantId: user.tenantId,
      userId: user.userId,
      state: 'CLAIMED',
      createdAt: input.now,
    },
  };
}
