import { AppError, type Role, USER_EXISTS_MESSAGE, validationError } from '@creditgate/shared';
import type { Actor } from '../audit/audit.model';
import { newAuditEntry } from '../audit/audit.repository';
import { createCognitoUser, deleteCognitoUser } from '../identity/cognito.repository';
import { generateTemporaryPassword } from '../identity/temporary-password';
import { optionalEnv } from '../lib/env';
import { logger } from '../lib/logger';
import { acceptInviteUrl, renderInvitation } from '../notifications/invitation-template';
import { writeToOutbox } from '../notifications/outbox';
import type { UserRecord } from './user.model';
import { completeInvitation } from './users.repository';

/**
 * Creates the Cognito user of a reserved invitation and then its user record. When Cognito
 * rejects the user, `rollback` removes the reservation and the error reaches the caller.
 * When the record cannot be written, the Cognito user is deleted again, so no half-made
 * account stays.
 */
export async function createInvitedAccount(input: {
  tenantId: string;
  tenantName: string;
  email: string;
  role: Role;
  now: string;
  actor: Actor;
  rollback: () => Promise<void>;
}): Promise<UserRecord> {
  const temporaryPassword = generateTemporaryPassword();
  const cognitoUser = {
    email: input.email,
    tenantId: input.tenantId,
    role: input.role,
    temporaryPassword,
  };
  let userId: string;
  try {
    userId = await createCognitoUser(cognitoUser).catch(async (error: unknown) => {
      if ((error as Error)?.name !== 'UsernameExistsException') throw error;
      // The reservation proved no live user has this email, so this Cognito user was left
      // behind by a deletion whose Cognito step failed: remove it and create the new one.
      logger.warn('Replacing a Cognito user left behind by a deletion');
      await deleteCognitoUser(input.email);
      return createCognitoUser(cognitoUser);
    });
  } catch (error) {
    await input.rollback();
    throw toInvitationError(error);
  }

  const user: UserRecord = {
    tenantId: input.tenantId,
    userId,
    email: input.email,
    role: input.role,
    status: 'INVITED',
    tenantStatus: 'ACTIVE',
    balance: 0,
    held: 0,
    spent: 0,
    createdAt: input.now,
    invitedAt: input.now,
  };
  const audit = newAuditEntry({
    actor: input.actor,
    tenantId: input.tenantId,
    action: 'user.invite',
    targetType: 'user',
    targetId: userId,
    details: { email: input.email, role: input.role },
  });
  try {
    await completeInvitation(user, audit);
  } catch (error) {
    logger.error('Invitation record failed; deleting the Cognito user', { error: error as Error });
    await deleteCognitoUser(input.email).catch((cleanupError: unknown) =>
      logger.error('Cognito user cleanup failed', { error: cleanupError as Error }),
    );
    await input.rollback();
    throw error;
  }

  await sendInvitationToOutbox({
    tenantName: input.tenantName,
    email: input.email,
    temporaryPassword,
  });
  logger.info('User invited', { target_user_id: userId, role: input.role });
  return user;
}

/**
 * Writes the invitation email to the local outbox, rendered by the same template as the
 * CustomMessage trigger. Outside local mode Cognito sends it and this does nothing.
 */
export async function sendInvitationToOutbox(input: {
  tenantName: string;
  email: string;
  temporaryPassword: string;
}): Promise<void> {
  const webUrl = optionalEnv('WEB_URL') ?? 'http://localhost:5173';
  const email = renderInvitation({
    tenantName: input.tenantName,
    username: input.email,
    temporaryPassword: input.temporaryPassword,
    acceptUrl: acceptInviteUrl(webUrl, input.email),
  });
  await writeToOutbox({
    to: input.email,
    subject: email.subject,
    body: email.text,
    html: email.html,
    username: input.email,
    temporaryPassword: input.temporaryPassword,
  });
}

function toInvitationError(error: unknown): unknown {
  const name = (error as Error)?.name;
  if (name === 'UsernameExistsException') {
    return new AppError('USER_EXISTS', USER_EXISTS_MESSAGE, { cause: error });
  }
  if (name === 'InvalidParameterException') {
    return validationError([{ field: 'email', message: 'was rejected by the identity provider' }]);
  }
  return error;
}
