import { PRODUCT_NAME, TENANT_ID_CLAIM } from '@creditgate/shared';
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { optionalEnv } from '../lib/env';
import { logger } from '../lib/logger';
import { acceptInviteUrl, renderInvitation } from '../notifications/invitation-template';
import { getTenant } from '../tenants/tenants.repository';

/**
 * Cognito CustomMessage trigger: renders the invitation email with the product and tenant
 * names, the accept-invite link, and Cognito's placeholders for the username and the
 * temporary password, which Cognito fills in after the trigger returns.
 */
export const handler = async (
  event: CustomMessageTriggerEvent,
): Promise<CustomMessageTriggerEvent> => {
  if (event.triggerSource !== 'CustomMessage_AdminCreateUser') return event;

  const tenantId = event.request.userAttributes[TENANT_ID_CLAIM];
  const email = event.request.userAttributes.email ?? '';
  let tenantName = PRODUCT_NAME;
  if (tenantId) {
    try {
      tenantName = (await getTenant(tenantId))?.name ?? PRODUCT_NAME;
    } catch (error) {
      // The invitation still goes out, naming the product in place of the tenant.
      logger.error('Tenant lookup for the invitation failed', {
        error: error as Error,
        tenant_id: tenantId,
      });
    }
  }
  const rendered = renderInvitation({
    tenantName,
    username: event.request.usernameParameter ?? email,
    temporaryPassword: event.request.codeParameter,
    acceptUrl: acceptInviteUrl(optionalEnv('WEB_URL') ?? 'http://localhost:5173', email),
  });
  event.response.emailSubject = rendered.subject;
  event.response.emailMessage = rendered.html;
  return event;
};
