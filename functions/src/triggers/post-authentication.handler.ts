import { TENANT_ID_CLAIM } from '@creditgate/shared';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { logger } from '../lib/logger';
import { markUserActive } from '../users/users.repository';

/** Cognito PostAuthentication trigger: an invited user becomes ACTIVE at the first sign-in. */
export const handler = async (
  event: PostAuthenticationTriggerEvent,
): Promise<PostAuthenticationTriggerEvent> => {
  const tenantId = event.request.userAttributes[TENANT_ID_CLAIM];
  const userId = event.request.userAttributes.sub;
  if (!tenantId || !userId) return event;
  try {
    const changed = await markUserActive(tenantId, userId, new Date().toISOString());
    if (changed) logger.info('Invited user activated', { tenant_id: tenantId, user_id: userId });
  } catch (error) {
    // Activation is bookkeeping: a failure must not stop the user from signing in.
    logger.error('Activating the invited user failed', {
      error: error as Error,
      tenant_id: tenantId,
      user_id: userId,
    });
  }
  return event;
};
